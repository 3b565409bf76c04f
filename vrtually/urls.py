from django.urls import include, path

urlpatterns = [
    path("", include("pages.urls")),
    path("", include("accounts.urls")),
    path("integrations/", include("integrations.urls")),
    path("workspace/", include("bookings.urls")),
    # Last: public booking pages live at /<workspace>/ and would shadow anything after them.
    path("", include("bookings.public_urls")),
]

handler404 = "pages.views.page_not_found"
handler500 = "pages.views.server_error"
