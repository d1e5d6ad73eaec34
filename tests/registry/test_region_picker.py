"""Issue 13 point 8: regions are picked by name (search endpoint, form field, widget), and
every form field that takes a region uses the picker."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.test import Client

import netral
from netral.registry.widgets import VILLAGE_LEVELS, RegionField, RegionPicker

pytestmark = pytest.mark.django_db

URL = "/wilayah/pilih/"


def _codes(response: object) -> list[str]:
    return [r["code"] for r in response.json()["results"]]  # type: ignore[attr-defined]


def test_a_region_is_found_by_part_of_its_name_with_its_hierarchy(client: Client) -> None:
    # when
    response = client.get(URL, {"q": "sangatta ut"})
    # then the kecamatan comes before its village of the same name, each with its ancestry
    results = response.json()["results"]
    assert [r["code"] for r in results] == ["64.08.04", "64.08.04.2001"]
    assert results[0]["name"] == "Kec. Sangatta Utara"
    assert results[0]["context"] == "Kab. Kutai Timur, Prov. Kalimantan Timur"
    assert results[0]["level"] == "Kecamatan"
    assert results[1]["label"].startswith("Desa Sangatta Utara, Kec. Sangatta Utara, Kab. Kutai")


def test_names_that_start_with_the_query_come_first(client: Client) -> None:
    codes = _codes(client.get(URL, {"q": "bogor"}))
    assert codes[0] == "32.01"  # Kabupaten Bogor (starts with "Kab...") is still a regency
    names = [r["name"] for r in client.get(URL, {"q": "sangatta"}).json()["results"]]
    assert names[:2] == ["Kec. Sangatta Selatan", "Kec. Sangatta Utara"]


def test_scope_mine_keeps_the_officers_jurisdiction(alice_client: Client, client: Client) -> None:
    # alice is an officer of Kutai Timur (64.08): Bogor is not offered to her
    assert _codes(alice_client.get(URL, {"q": "bogor", "scope": "mine"})) == []
    assert _codes(alice_client.get(URL, {"q": "bogor"}))  # without scope: everywhere
    assert _codes(alice_client.get(URL, {"q": "sangatta ut", "scope": "mine"}))
    # the public has no jurisdiction: scope=mine means nothing for it
    assert _codes(client.get(URL, {"q": "bogor", "scope": "mine"}))


def test_levels_and_within_narrow_the_choices(alice_client: Client) -> None:
    codes = _codes(alice_client.get(URL, {"q": "sangatta", "levels": "DESA,KELURAHAN"}))
    assert codes
    assert all(c.count(".") == 3 for c in codes)
    within = _codes(alice_client.get(URL, {"q": "sangatta", "within": "64.08.12"}))
    assert within == ["64.08.12", "64.08.12.2001"]  # the region itself and its subtree
    # within a region outside alice's jurisdiction with scope=mine: nothing
    assert _codes(alice_client.get(URL, {"q": "a", "within": "32.01", "scope": "mine"})) == []


def test_codes_can_still_be_typed(client: Client) -> None:
    assert _codes(client.get(URL, {"q": "64.08.04"}))[0] == "64.08.04"


def test_the_field_cleans_to_the_code_of_an_existing_region_of_the_right_level() -> None:
    class F(forms.Form):
        region = RegionField(levels=VILLAGE_LEVELS)

    assert F({"region": "64.08.04.2001"}).is_valid()
    form = F({"region": "64.08.04"})
    assert not form.is_valid()
    assert "desa, kelurahan" in form.errors["region"][0]
    form = F({"region": "64.08.99.2999"})
    assert not form.is_valid()
    assert "tidak dikenal" in form.errors["region"][0]
    form = F({"region": "Sangatta"})
    assert not form.is_valid()
    assert "Pilih wilayah dari daftar" in form.errors["region"][0]


def test_the_widget_shows_the_current_regions_name_and_hierarchy() -> None:
    html = RegionPicker(scope="mine", levels=VILLAGE_LEVELS).render("region", "64.08.04")
    assert 'value="64.08.04"' in html
    assert "data-region-picker" in html
    assert 'data-scope="mine"' in html
    assert 'data-levels="DESA,KELURAHAN"' in html
    assert "Kec. Sangatta Utara, Kab. Kutai Timur, Prov. Kalimantan Timur" in html
    assert "<script" not in html
    assert "style=" not in html


def _form_classes() -> list[type[forms.Form]]:
    found: list[type[forms.Form]] = []
    for module_info in pkgutil.walk_packages(netral.__path__, "netral."):
        if not module_info.name.endswith(".forms"):
            continue
        module = importlib.import_module(module_info.name)
        for _name, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__:
                found.append(obj)
    return found


def test_every_form_field_that_takes_a_region_is_a_picker() -> None:
    checked = []
    for form_class in _form_classes():
        for name, field in form_class.base_fields.items():
            if "region" in name or "wilayah" in name:
                checked.append(f"{form_class.__name__}.{name}")
                assert isinstance(field.widget, RegionPicker), f"{form_class.__name__}.{name}"
    assert len(checked) >= 8, checked
