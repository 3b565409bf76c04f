from django.urls import include, path

from integrations import views

urlpatterns = [
    path("", views.integrations_page, name="integrations"),
    path("zoom/", include("integrations.zoom.urls")),
]
