from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("integrations/", include("integrations.urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
