"""API tokens (user and integration), session authentication, and the 401s."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.contrib.admin.sites import site
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from lapor.accounts.models import Membership, Role
from lapor.api.auth import issue_token, revoke_token
from lapor.api.models import ApiToken
from tests.api.support import *  # noqa: F403
from tests.api.support import REPORTS, Api, Tokens, error_code, token_row
from tests.factories import PASSWORD, World

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash(w: World) -> None:
    token, raw = issue_token(name="Aplikasi warga", user=w.citizen)
    assert raw.startswith(f"lpr_{token.prefix}_")
    assert len(raw) > 40
    assert token.secret_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.filter(pk=token.pk).values().get())


def test_an_integration_token_acts_through_its_own_service_account(w: World) -> None:
    token, _raw = issue_token(name="SIPP Samarinda", institution=w.city)
    account = token.user
    assert account.username == f"integrasi-{token.prefix}"
    assert not account.has_usable_password()
    memberships = list(Membership.objects.filter(user=account).values_list("institution", "role"))
    assert memberships == [(w.city.pk, Role.INSTITUTION_ADMIN)]


def test_an_integration_may_act_as_a_unit_officer(w: World) -> None:
    token, _raw = issue_token(name="App", institution=w.department, role=Role.UNIT_OFFICER)
    assert Membership.objects.get(user=token.user).role == Role.UNIT_OFFICER
    with pytest.raises(ValueError):
        issue_token(name="App", institution=w.department, role=Role.NATIONAL_ADMIN)
    with pytest.raises(ValueError):
        issue_token(name="App", user=w.citizen, institution=w.city)


def test_a_request_without_credentials_is_401_with_www_authenticate(tokens: Tokens) -> None:
    response = Api().get(REPORTS)
    assert response.status_code == 401
    assert error_code(response) == "unauthorized"
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize(
    "header",
    [
        "Bearer lpr_00000000_nope",
        "Bearer ",
        "Bearer garbage",
        "Basic dXNlcjpwYXNz",
        "Token abc",
        "Bearer lpr_zzzz_" + "x" * 5000,
    ],
)
def test_an_invalid_token_is_401_and_never_falls_back_to_the_session(
    w: World, tokens: Tokens, header: str
) -> None:
    client = Client()
    client.login(username=w.reporter.username, password=PASSWORD)
    response = client.get(REPORTS, headers={"Authorization": header})
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_a_token_with_a_wrong_secret_is_401(tokens: Tokens) -> None:
    forged = tokens.city[:-4] + ("aaaa" if not tokens.city.endswith("aaaa") else "bbbb")
    assert Api(forged).get(REPORTS).status_code == 401


def test_a_revoked_token_is_401_at_once(tokens: Tokens) -> None:
    api = Api(tokens.city)
    assert api.get(REPORTS).status_code == 200
    revoke_token(token_row(tokens.city))
    response = api.get(REPORTS)
    assert response.status_code == 401
    assert error_code(response) == "invalid_token"
    assert token_row(tokens.city).revoked_at is not None


def test_a_token_of_a_deactivated_user_is_401(w: World, tokens: Tokens) -> None:
    w.reporter.is_active = False
    w.reporter.save()
    assert Api(tokens.reporter).get(REPORTS).status_code == 401


def test_last_use_is_recorded_at_most_once_a_minute(tokens: Tokens) -> None:
    api = Api(tokens.citizen)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        api.get(REPORTS)
        first = token_row(tokens.citizen).last_used_at
        assert first is not None
        traveller.shift(timedelta(seconds=30))
        api.get(REPORTS)
        assert token_row(tokens.citizen).last_used_at == first
        traveller.shift(timedelta(seconds=31))
        api.get(REPORTS)
        assert token_row(tokens.citizen).last_used_at > first


def test_a_session_reads_without_csrf_but_must_pass_csrf_to_write(w: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.login(username=w.reporter.username, password=PASSWORD)
    assert client.get(REPORTS).status_code == 200
    body = '{"report_type": "aspirasi", "title": "Taman kota", "body": "Mohon tambah taman."}'
    refused = client.post(REPORTS, body, content_type="application/json")
    assert refused.status_code == 403
    assert error_code(refused) == "csrf_failed"
    client.get("/")  # any page sets the csrftoken cookie
    csrf = client.cookies["csrftoken"].value
    accepted = client.post(
        REPORTS, body, content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert accepted.status_code == 201, accepted.content
    created = accepted.json()
    assert created["report"]["channel"] == "web"
    assert created["guest_secret"] is None  # the reporter has an account
    assert created["report"]["view"] == "reporter"


def test_create_api_token_command_prints_the_token_once(w: World) -> None:
    out = StringIO()
    call_command("create_api_token", "SIPP Kota", institution=w.city.code, stdout=out)
    raw = next(line for line in out.getvalue().splitlines() if line.startswith("lpr_"))
    assert Api(raw).get(REPORTS).status_code == 200
    assert token_row(raw).institution == w.city

    out = StringIO()
    call_command("create_api_token", "Pribadi", user=w.citizen.username, stdout=out)
    raw = next(line for line in out.getvalue().splitlines() if line.startswith("lpr_"))
    assert token_row(raw).user == w.citizen

    with pytest.raises(CommandError):
        call_command("create_api_token", "x", user="nobody-at-all", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("create_api_token", "x", stdout=StringIO())


def test_revoke_api_token_command(tokens: Tokens) -> None:
    prefix = token_row(tokens.city).prefix
    call_command("revoke_api_token", prefix, stdout=StringIO())
    assert Api(tokens.city).get(REPORTS).status_code == 401
    with pytest.raises(CommandError):
        call_command("revoke_api_token", "ffffffff", stdout=StringIO())


def test_admin_issues_a_token_and_shows_it_once(w: World) -> None:
    assert ApiToken in site._registry
    admin_user = w.national_admin
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    response = client.post(
        "/admin/api/apitoken/add/",
        {"name": "SIPP Balikpapan", "institution": w.other_city.pk, "role": "institution_admin"},
        follow=True,
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(name="SIPP Balikpapan")
    page = response.content.decode()
    raw = page.split(f"lpr_{token.prefix}_", 1)[1].split("<", 1)[0].split()[0]
    assert Api(f"lpr_{token.prefix}_{raw}").get(REPORTS).status_code == 200
    assert token.user.memberships.get().institution == w.other_city

    changelist = client.post(
        "/admin/api/apitoken/",
        {"action": "revoke_tokens", "_selected_action": [token.pk]},
        follow=True,
    )
    assert changelist.status_code == 200
    token.refresh_from_db()
    assert not token.is_active and token.revoked_at is not None
    assert "lpr_" not in client.get(f"/admin/api/apitoken/{token.pk}/change/").content.decode()
