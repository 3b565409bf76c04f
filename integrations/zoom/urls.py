from django.urls import path

from integrations.zoom import views

urlpatterns = [
    path("", views.zoom_page, name="zoom"),
    path("connect", views.connect, name="zoom_connect"),
    path("callback", views.callback, name="zoom_callback"),
    path("disconnect", views.disconnect, name="zoom_disconnect"),
    path("webhook", views.webhook, name="zoom_webhook"),
]
