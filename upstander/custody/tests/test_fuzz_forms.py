"""Property-based fuzzing (hypothesis): every Django form in the project, and every URL that takes a POST, given
arbitrary text and values. Validation errors are the only acceptable failure; a server error fails the test.

The forms are found by walking the project's modules, so a new form is fuzzed without anyone adding it here.
"""

from __future__ import annotations

import importlib
import inspect
import os
from datetime import date
from pathlib import Path

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils.datastructures import MultiValueDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import upstander
from upstander.cases.choices import ReporterType, ReportingMode
from upstander.custody.tests.test_every_url_every_persona import ANONYMOUS, PERSONAS, TABLE
from upstander.custody.tests.world import World, build_world
from upstander.testing.fixtures import login

# Derandomised by default, so the suite gives the same answer every run; UPSTANDER_FUZZ_RANDOM=1 (and more
# UPSTANDER_FUZZ_EXAMPLES) explores new inputs — that is how the people-search bug in test_attacks.py was found.
FUZZ = settings(max_examples=int(os.environ.get("UPSTANDER_FUZZ_EXAMPLES", "25")), deadline=None, database=None,
                derandomize=os.environ.get("UPSTANDER_FUZZ_RANDOM") != "1",
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
ROOT = Path(upstander.__file__).parent


def _modules_with_forms() -> list[str]:
    names = []
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT.parent).with_suffix("").parts
        if "tests" in parts or "migrations" in parts:
            continue
        text = path.read_text(encoding="utf-8")
        if "forms.Form" in text or "forms.ModelForm" in text:
            names.append(".".join(parts))
    return names


def project_forms() -> list[type[forms.BaseForm]]:
    found: dict[str, type[forms.BaseForm]] = {}
    for name in _modules_with_forms():
        module = importlib.import_module(name)
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, forms.BaseForm) and obj.__module__.startswith("upstander.") and obj.base_fields:
                found[f"{obj.__module__}.{obj.__qualname__}"] = obj
    return [found[k] for k in sorted(found)]


def test_the_walk_finds_the_forms_of_every_app_and_knows_how_to_build_them():
    modules = {f.__module__.split(".")[1] for f in project_forms()}
    assert {"accounts", "cases", "custody", "intake", "oversight", "safeguarding"} <= modules
    unknown = {name for f in project_forms() for name in required_arguments(f)} - set(FORM_ARGUMENTS)
    assert unknown == set(), "add these form arguments to FORM_ARGUMENTS"


nasty_text = st.one_of(
    st.text(max_size=300),
    st.sampled_from(["", " ", "\x00", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "9" * 40,
                     "-1", "1e309", "NaN", "２０２４-０１-０１", "2024-02-30", "\u202e", "😀" * 50, "a" * 100_000]),
)


def _value_for(field: forms.Field):
    if isinstance(field, forms.FileField):
        return st.binary(max_size=2000).map(lambda b: SimpleUploadedFile("fuzz.bin", b))
    choices = [str(c[0]) for c in getattr(field, "choices", []) or [] if not isinstance(c[1], (list, tuple))]
    if isinstance(field, forms.MultipleChoiceField):
        return st.lists(st.one_of(st.sampled_from(choices) if choices else nasty_text, nasty_text), max_size=4)
    if isinstance(field, forms.ChoiceField) and choices:
        return st.one_of(st.sampled_from(choices), nasty_text)
    if isinstance(field, forms.DateField):
        return st.one_of(st.dates(min_value=date(1, 1, 1)).map(date.isoformat), nasty_text)
    if isinstance(field, forms.BooleanField):
        return st.one_of(st.sampled_from(["on", "true", "false", "0", "1"]), nasty_text)
    if isinstance(field, (forms.IntegerField, forms.FloatField, forms.DecimalField)):
        return st.one_of(st.integers().map(str), st.floats().map(str), nasty_text)
    return nasty_text


# Values for the keyword-only arguments some forms require (the view passes them). A form with a required argument
# not listed here fails the walk test below, so that someone decides what to fuzz it with.
FORM_ARGUMENTS = {
    "mode": [m.value for m in ReportingMode],
    "reporter_type": [t.value for t in ReporterType],
}


def required_arguments(form_class) -> list[str]:
    params = inspect.signature(form_class.__init__).parameters.values()
    return [p.name for p in params if p.kind == p.KEYWORD_ONLY and p.default is p.empty]


def _instantiate(form_class, data=None, files=None, arguments: dict | None = None):
    arguments = arguments or {name: FORM_ARGUMENTS[name][0] for name in required_arguments(form_class)}
    return form_class(data=data, files=files, **arguments)


def _arguments(form_class):
    return st.fixed_dictionaries({name: st.sampled_from(FORM_ARGUMENTS[name])
                                  for name in required_arguments(form_class)})


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda f: f"{f.__module__}.{f.__qualname__}")
def test_every_form_survives_arbitrary_input(db, form_class):
    """No input makes a form raise anything but a validation error."""
    fields = _instantiate(form_class).fields

    @FUZZ
    @given(st.fixed_dictionaries({}, optional={name: _value_for(f) for name, f in fields.items()}),
           _arguments(form_class))
    def check(values, arguments):
        data, uploads = MultiValueDict(), MultiValueDict()
        for name, value in values.items():
            target = uploads if isinstance(value, SimpleUploadedFile) else data
            target.setlist(name, value if isinstance(value, list) else [value])
        form = _instantiate(form_class, data, uploads, arguments)
        if form.is_valid():
            assert isinstance(form.cleaned_data, dict)
        else:
            assert form.errors

    check()


def _all_field_names() -> list[str]:
    names = {"csrfmiddlewaretoken", "q", "page", "action", "idempotency_token"}
    for form_class in project_forms():
        if set(required_arguments(form_class)) <= set(FORM_ARGUMENTS):
            names.update(_instantiate(form_class).fields)
    return sorted(names)


FIELD_NAMES = _all_field_names()
# Signing out mid-fuzz would only test the login redirect from then on.
NOT_FUZZED = {"accounts/logout"}


def _routes_for(persona: str) -> list[str]:
    return sorted(route for route, (allowed, _) in TABLE.items() if persona in allowed and route not in NOT_FUZZED)


@pytest.fixture
def world(db, tmp_path) -> World:
    return build_world(tmp_path)


@pytest.mark.parametrize("persona", PERSONAS)
def test_posting_arbitrary_forms_to_every_url_a_persona_may_use_never_errors(world, persona):
    """Every URL the persona may use, POSTed (and GET with a query string) arbitrary values for any field name any
    form in the project has. A server error raises out of the test client and fails the test."""
    client = Client() if persona == ANONYMOUS else login(Client(), world.cast, persona)
    urls = {route: make_url(world) for route, (_, make_url) in TABLE.items() if route in _routes_for(persona)}
    if not urls:
        pytest.skip(f"{persona} may use no URL")

    @FUZZ
    @given(route=st.sampled_from(sorted(urls)),
           values=st.dictionaries(st.sampled_from(FIELD_NAMES), st.one_of(nasty_text, st.lists(nasty_text, max_size=3)),
                                  max_size=8))
    def check(route, values):
        url = urls[route]
        posted = client.post(url, values)
        assert posted.status_code < 500, f"POST {url} {values!r}: {posted.status_code}"
        flat = {k: v[0] if isinstance(v, list) and v else v for k, v in values.items()}
        got = client.get(url, {k: v for k, v in flat.items() if isinstance(v, str)})
        assert got.status_code < 500, f"GET {url} {flat!r}: {got.status_code}"

    check()
