from django.urls import path

from pages import views

urlpatterns = [
    path("", views.landing, name="landing"),
    path("docs/zoom", views.zoom_docs, name="zoom_docs"),
    path("support", views.support, name="support"),
    path("privacy", views.privacy, name="privacy"),
    path("terms", views.terms, name="terms"),
    path("healthz", views.healthz, name="healthz"),
    path("workspace/", views.workspace_home, name="workspace"),
    path("workspace/business-tools/", views.business_tools, name="business_tools"),
]
