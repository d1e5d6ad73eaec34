from django.contrib import admin

from netral.news.models import Article, NewsSource, Proposal


@admin.register(NewsSource)
class NewsSourceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Administrators configure feeds and sitemaps per region here."""

    list_display = ["name", "kind", "region", "is_active", "last_polled_at", "last_status"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "url"]
    raw_id_fields = ["region"]
    readonly_fields = ["etag", "last_modified", "last_polled_at", "last_status", "created_by"]


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["title", "origin", "state", "published_date", "created_at"]
    list_filter = ["origin", "state"]
    search_fields = ["title", "url"]
    readonly_fields = [f.name for f in Article._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["article", "kind", "status", "region", "created_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [f.name for f in Proposal._meta.fields]

    def has_add_permission(self, request: object) -> bool:
        return False
