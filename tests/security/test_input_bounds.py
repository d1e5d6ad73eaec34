"""Issue 14, point 6: every input has a maximum, every repeating group refuses extra entries."""

from __future__ import annotations

import importlib
import inspect
import json
from typing import Any

import pytest
from django import forms
from django.core.cache import cache
from django.test import Client

from netral.cases.models import Case
from tests.cases.test_public_views import URL, form_data

FORM_MODULES = [
    "netral.cases.forms",
    "netral.declarations.forms",
    "netral.registry.forms",
    "netral.dashboards.forms",
]
TEXT_FIELDS = (forms.CharField,)  # EmailField, URLField, SlugField, RegexField are CharFields


def _form_classes() -> list[type[forms.Form]]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _n, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == name:
                found.append(obj)
    return found


def _formsets() -> list[Any]:
    found = []
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _n, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseFormSet) and obj is not forms.BaseFormSet:
                found.append(obj)
    return found


def test_there_are_forms_to_check() -> None:
    assert len(_form_classes()) > 20
    assert len(_formsets()) >= 2


@pytest.mark.django_db
@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda c: c.__name__)
def test_every_text_field_of_every_form_refuses_an_oversized_value(
    form_class: type[forms.Form],
) -> None:
    """Each text field gets 1,000,001 characters: the form names that field in its errors."""
    try:
        form = form_class()
    except TypeError:
        pytest.skip(f"{form_class.__name__} needs arguments")
    texts = {name: field for name, field in form.fields.items() if isinstance(field, TEXT_FIELDS)}
    if not texts:
        pytest.skip("no text field")
    for name, field in texts.items():
        if isinstance(field, forms.UUIDField):
            continue  # refused by its format
        assert field.max_length is not None, f"{form_class.__name__}.{name} has no max_length"
        assert field.max_length <= 20_000, f"{form_class.__name__}.{name}"
    huge = "x" * 1_000_001
    bound = form_class(data=dict.fromkeys(texts, huge))
    bound.is_valid()
    for name in texts:
        assert name in bound.errors, f"{form_class.__name__}.{name} accepted 1 MB"


@pytest.mark.parametrize("formset", _formsets(), ids=lambda c: c.__name__)
def test_every_formset_validates_its_maximum(formset: Any) -> None:
    """Tens of rows at most (an event's speakers go to 30), never Django's default of 1,000."""
    assert formset.validate_max
    assert formset.max_num <= 30


@pytest.mark.django_db
def test_the_public_form_refuses_a_huge_description_and_480_persons(client: Client) -> None:
    cache.clear()
    response = client.post(URL, form_data(description="x" * (9_500_000)))
    assert response.status_code == 400
    assert Case.objects.count() == 0
    many = {"terlapor-TOTAL_FORMS": "480"}
    for i in range(480):
        many[f"terlapor-{i}-name"] = f"Orang {i}"
    response = client.post(URL, form_data(**many))
    assert response.status_code == 400
    assert "10" in response.content.decode()
    assert Case.objects.count() == 0
    assert client.post(URL, form_data()).status_code == 302  # the ordinary report still goes


@pytest.mark.django_db
def test_every_text_property_of_every_api_request_body_has_a_maximum(client: Client) -> None:
    schema = json.loads(client.get("/api/v1/openapi.json").content)
    components = schema["components"]["schemas"]
    bodies = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            ref = (
                operation.get("requestBody", {})
                .get("content", {})
                .get("application/json", {})
                .get("schema", {})
                .get("$ref")
            )
            if ref:
                bodies.append((f"{method.upper()} {path}", ref.rsplit("/", 1)[-1]))
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query" and parameter["schema"].get("type") == "string":
                    assert "maxLength" in parameter["schema"], (path, parameter["name"])
    assert bodies
    for where, name in bodies:
        for prop, spec in components[name]["properties"].items():
            if spec.get("type") == "string" and spec.get("format") is None:
                assert "maxLength" in spec, f"{where}: {name}.{prop}"
