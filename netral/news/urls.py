from django.urls import path

from netral.news import views

app_name = "news"

urlpatterns = [
    path("berita/", views.queue, name="queue"),
    path("berita/tambah/", views.add, name="add"),
    path("berita/usulan/<int:pk>/", views.proposal_detail, name="proposal"),
    path("berita/usulan/<int:pk>/abaikan/", views.proposal_dismiss, name="dismiss"),
]
