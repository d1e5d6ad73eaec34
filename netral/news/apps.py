from django.apps import AppConfig


class NewsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "netral.news"
    verbose_name = "Pemantauan berita"
