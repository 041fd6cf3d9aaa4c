"""Compiling the site's templates: interface strings folded in, the same pages as calling `t`."""

from __future__ import annotations

import pytest

from broadsheet import render
from broadsheet.config import load_config
from broadsheet.i18n import STRINGS
from broadsheet.problems import Problems
from conftest import Site


def environment(site: Site, language: str = "zh-CN"):
    site.write("site.yaml", f"title: 测试日报\nlanguage: {language}\n")
    (site.root / "templates").mkdir(exist_ok=True)
    return render._new_environment(load_config(site.root / "site.yaml", Problems()), None)


def test_an_interface_string_is_folded_into_the_compiled_template(site):
    code = environment(site).compile('<a aria-label="{{ t("pages") }}">', raw=True)
    assert STRINGS["zh-CN"]["pages"] in code
    assert "'t'" not in code  # no look-up of `t` left to run on every page


def test_folded_and_called_strings_render_alike(site):
    env = environment(site, "en")
    source = '{{ t("pages") }}|{{ t("none_yet") | upper }}|{{ t("photo_credit", credit="<AP>") }}'
    plain = render._new_environment(load_config(site.root / "site.yaml", Problems()), None)
    plain.extensions.clear()
    assert env.from_string(source).render() == plain.from_string(source).render()
    assert "&lt;AP&gt;" in env.from_string(source).render()


def test_a_template_binding_t_itself_is_compiled_as_written(site):
    env = environment(site)
    source = '{% set t = caller_t %}{{ t("pages") }}'
    assert env.from_string(source).render(caller_t=lambda key: f"own {key}") == "own pages"


def test_an_unknown_key_still_fails_when_the_page_renders(site):
    template = environment(site).from_string('{{ t("no_such_key") }}')
    with pytest.raises(KeyError):
        template.render()


def test_a_macro_named_t_is_not_taken_for_the_interface(site):
    env = environment(site)
    source = '{% macro t(key) %}macro {{ key }}{% endmacro %}{{ t("pages") }}'
    assert env.from_string(source).render() == "macro pages"


def test_compiled_templates_are_not_reused_once_the_interface_strings_change(site, monkeypatch):
    config = environment(site).globals["t"] and load_config(site.root / "site.yaml", Problems())
    site.write("templates/x.html", '{{ t("pages") }}')
    bytecode: dict[str, bytes] = {}
    assert render._new_environment(config, bytecode).get_template("x.html").render() == STRINGS["zh-CN"]["pages"]
    monkeypatch.setitem(STRINGS["zh-CN"], "pages", "新的说法")
    assert render._new_environment(config, bytecode).get_template("x.html").render() == "新的说法"


def test_an_output_value_is_escaped_as_markupsafe_escapes_it():
    """The compiled templates escape what they output with compiling.escaped, not markupsafe.escape."""
    import jinja2
    import pytest
    from markupsafe import Markup, escape

    from broadsheet.compiling import escaped as _escaped

    for value in ("<a href=\"x\">'&'</a>", "河川", "", Markup("<b>粗</b>"), 3, 2.5, None, True):
        assert _escaped(value) == str(escape(value))
    with pytest.raises(jinja2.UndefinedError):
        _escaped(jinja2.StrictUndefined(name="missing"))


def test_a_compiled_template_s_digests_analysis_is_that_of_parsing_it_alone(site, monkeypatch):
    from broadsheet import digests

    env = environment(site)
    site.write("templates/own.html", '{% set x = 1 %}{% for a in items %}{{ a.body_html }}{{ x }}{{ y }}{% endfor %}'
                                      '{% macro m(b) %}{{ b }}{{ z.body }}{% endmacro %}{{ t("pages") }}')
    monkeypatch.setattr(digests, "_ANALYSED", {})
    for name in env.list_templates():
        env.get_template(name)  # compiled: analysed from the compiler's tree and code
    compiled = dict(digests._ANALYSED)
    assert {name for name, _source in compiled} == set(env.list_templates())
    monkeypatch.setattr(digests, "_ANALYSED", {})
    assert {key: digests._analyse(env, *key) for key in compiled} == compiled  # parsed again, as from the build state
    assert compiled[next(key for key in compiled if key[0] == "own.html")].variables == {"items", "y", "z"}


# The code Broadsheet's compiler writes (compiling.Generator) renders what Jinja's own does.

SAME_AS_JINJA = {
    "parts.html": '<p title="{{ text }}">{{ markup }}{{ number }}{{ nothing }}{{ text ~ "&" }}</p>{{ 3 }}{{ "<b>" }}',
    "attributes.html": "{{ item.title }}|{{ mapping.key }}|{{ mapping['key'] }}|{{ item.nope is defined }}"
                       "|{{ item.upper() if item.upper is defined }}|{{ text.upper() }}|{{ (item).title }}",
    "macros.html": '{% macro m(a, b=2, c="<c>") %}[{{ a }}{{ b }}{{ c }}]{% endmacro %}'
                   "{% macro v() %}{{ varargs }}{{ kwargs }}{% endmacro %}"
                   "{% macro w(x) %}<{{ caller(x) }}>{% endmacro %}"
                   '{{ m(1) }}{{ m(1, 3) }}{{ m(1, c="&") }}{{ m(a="<a>") }}{{ m(1, 2, 3) }}{{ v(1, k=2) }}'
                   "{% call(y) w(5) %}y={{ y }}{% endcall %}{% for i in [1, 2] %}{{ m(i) }}{% endfor %}",
    "_lib.html": "{% macro link(x) %}<a href=\"{{ root }}{{ x }}\">{{ lang }}</a>{% endmacro %}\n",
    "importing.html": '{% import "_lib.html" as lib with context %}{% from "_lib.html" import link with context %}'
                      "{{ lib.link('a.html') }}{{ link('b.html') }}{% autoescape false %}{{ lib.link('<') }}{% endautoescape %}",
    "_frame.html": "<title>{% block title %}{{ text }}{% endblock %}</title>{{ self.title() }}"
                   "{% block main %}<main>{% endblock %}{% for i in [1, 2] %}{% block row scoped %}[{{ i }}]{% endblock %}"
                   "{% endfor %}{% filter upper %}{% block shout %}quiet{% endblock %}{% endfilter %}",
    "extending.html": '{% extends "_frame.html" %}{% block title %}{{ super() }}+{{ number }}{% endblock %}'
                      "{% block main %}{{ markup }}{% if item %}{{ item.title }}{% endif %}{% endblock %}"
                      "{% block row %}<{{ i }}>{% endblock %}{% block shout %}{{ super() }}!{% endblock %}",
    "extending_twice.html": '{% extends "extending.html" %}{% block main %}({{ super() }}){% endblock %}',
}


class Item:
    title = "<标题>"

    def upper(self):
        return "UP"


def both(site: Site):
    import jinja2
    from markupsafe import Markup

    for name, source in SAME_AS_JINJA.items():
        site.write(f"templates/{name}", source)
    ours = environment(site)
    plain = jinja2.Environment(loader=jinja2.FileSystemLoader(site.root / "templates"), autoescape=True,
                               undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
    values = {"text": "<i>'&'</i>", "markup": Markup("<b>粗</b>"), "number": 7, "nothing": None, "item": Item(),
              "mapping": {"key": "值"}, "root": "../", "lang": "en"}
    return ours, plain, values


@pytest.mark.parametrize("name", [n for n in SAME_AS_JINJA if not n.startswith("_")])
def test_a_compiled_template_renders_as_jinja_s_own_compiler_renders_it(site, name):
    ours, plain, values = both(site)
    assert ours.get_template(name).render(values) == plain.get_template(name).render(values)


def test_an_attribute_that_is_not_there_is_undefined_as_in_jinja(site):
    import jinja2

    ours, _plain, values = both(site)
    with pytest.raises(jinja2.UndefinedError, match="has no attribute 'nope'"):
        ours.from_string("{{ item.nope }}").render(values)
    with pytest.raises(jinja2.UndefinedError):
        ours.from_string("{{ missing_name.title }}").render(values)


def counting_modules(monkeypatch) -> list[str]:
    import jinja2

    made: list[str] = []
    make_module = jinja2.Template.make_module

    def counted(self, *args, **kwargs):
        made.append(self.name)
        return make_module(self, *args, **kwargs)
    monkeypatch.setattr(jinja2.Template, "make_module", counted)
    return made


def test_a_module_of_macros_imported_with_context_is_made_once_for_the_same_values(site, monkeypatch):
    ours, _plain, values = both(site)
    made = counting_modules(monkeypatch)
    page = ours.get_template("importing.html")
    first = page.render(values)
    assert page.render(values) == first
    assert made == ["_lib.html"]  # for the import and the from-import of both pages
    deeper = page.render(values, root="../../")  # a value its macros read: made again
    assert 'href="../../a.html"' in deeper and len(made) == 2


def test_a_module_doing_more_than_defining_macros_is_made_for_every_import(site, monkeypatch):
    ours, _plain, values = both(site)
    site.write("templates/_lib.html", '{% set prefix = root %}{% macro link(x) %}{{ prefix }}{{ x }}{% endmacro %}')
    site.write("templates/importing.html", '{% import "_lib.html" as lib with context %}{{ lib.link("a.html") }}')
    made = counting_modules(monkeypatch)
    page = ours.get_template("importing.html")
    assert page.render(values) == page.render(values) == "../a.html"
    assert made == ["_lib.html", "_lib.html"]


def test_a_function_asking_for_the_context_still_gets_it(site):
    import jinja2

    ours, _plain, values = both(site)
    ours.globals["seen"] = jinja2.pass_context(lambda context, name: context[name])
    ours.globals["plain"] = lambda text: text.upper()
    assert ours.from_string("{{ seen('lang') }}|{{ plain('x') }}|{{ text.upper() }}").render(values) == "en|X|&lt;I&gt;&#39;&amp;&#39;&lt;/I&gt;"


def test_a_callable_stopping_an_iteration_gives_undefined_as_in_jinja(site):
    import jinja2

    ours, _plain, values = both(site)
    ours.globals["first"] = lambda items: next(iter(items))
    assert ours.from_string("{{ first([1]) }}{{ first([]) is defined }}").render(values) == "1False"
    with pytest.raises(jinja2.UndefinedError, match="StopIteration"):
        ours.from_string("{{ first([]) }}").render(values)
