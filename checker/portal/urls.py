from django.contrib.auth import views as auth_views
from django.urls import path, re_path
from django.views.i18n import set_language

from checker.portal import api, views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="portal/login.html", redirect_authenticated_user=True),
         name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", auth_views.PasswordChangeView.as_view(template_name="portal/password.html",
                                                           success_url="/"), name="password"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("region/", views.matrix_view, name="matrix"),
    path("clauses/", views.clauses_view, name="clauses"),
    path("clauses/<str:clause>/", views.clause_view, name="clause"),
    path("deadline/", views.deadline_view, name="deadline"),
    path("quarantine/", views.quarantine_view, name="quarantine"),
    path("units/", views.units_view, name="units"),
    path("units/new/", views.unit_new, name="unit-new"),
    path("units/<slug:code>/", views.unit_view, name="unit"),
    path("units/<slug:code>/edit/", views.unit_edit, name="unit-edit"),
    path("units/<slug:code>/accounts/new/", views.account_new, name="account-new"),
    path("units/<slug:code>/tokens/", views.tokens_view, name="tokens"),
    path("submissions/<int:pk>/", views.submission_view, name="submission"),
    path("submissions/<int:pk>/bundle/", views.submission_bundle, name="bundle"),
    re_path(r"^submissions/(?P<pk>[0-9]+)/report\.(?P<fmt>html|docx)$", views.submission_report, name="report"),
    path("submissions/<int:pk>/clauses/<str:clause>/", views.drill_view, name="drill"),
    path("upload/", views.upload_view, name="upload"),
    path("rounds/", views.rounds_view, name="rounds"),
    re_path(r"^summary\.(?P<fmt>html|docx)$", views.summary_view, name="summary"),
    path("api/v1/submissions", api.submit, name="api-submit"),
    path("api/v1/submissions/<int:pk>", api.status, name="api-submission"),
]
