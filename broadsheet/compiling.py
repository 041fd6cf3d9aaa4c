"""How Broadsheet compiles the site's templates: Jinja's compiler writing cheaper code for what
every page does many times, and keeping the variables a template reads for its digests
(`Generator`), interface strings folded in at compile time (`FoldInterfaceStrings`), the
compiled templates kept in the build state, the theme's also for the engine (`StateBytecode`);
and what that code calls at run time: macros called directly (`Context`), modules imported with
context made once (`Modules`)."""

from __future__ import annotations

import io
import types
from typing import Any

import jinja2
import jinja2.runtime
from jinja2 import nodes
from jinja2.compiler import CodeGenerator, optimizeconst
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_STRING, Token
from jinja2.runtime import missing
from markupsafe import Markup

try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe built without its C module
    from markupsafe._native import _escape_inner

#: the version of the compiled templates (what FoldInterfaceStrings and Generator do), in the
#: name under which the build state keeps them
FOLDING = 4

#: attributes the environment's `getattr` answers itself (`render._Environment`: the body HTML)
HOOKED_ATTRIBUTES = frozenset({"body_html"})


class StateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in the build state (a dict saved with its index), under a prefix
    naming the interface strings folded into them (FoldInterfaceStrings), which Jinja's own
    check of the template's source does not cover; a theme template the state lacks is taken
    from `engine` (`theme.compiled`: compiled once for this engine), where it is kept too."""

    def __init__(self, compiled: dict[str, bytes], prefix: str, engine: Any = None):
        self.compiled = compiled
        self.prefix = prefix
        self.engine = engine  # theme.compiled.EngineTemplates, or None

    def get_bucket(self, environment, name, filename, source):  # Jinja's hook
        bucket = super().get_bucket(environment, name, filename, source)
        if self.engine is not None and self.engine.holds(filename):
            bucket.theme = (name, source)  # (for `dump_bytecode`)
            if bucket.code is None:
                self.engine.load(bucket, self.prefix + bucket.key, name, source)
        return bucket

    def load_bytecode(self, bucket) -> None:  # Jinja's hook
        found = self.compiled.get(self.prefix + bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket) -> None:  # Jinja's hook
        data = self.compiled[self.prefix + bucket.key] = bucket.bytecode_to_string()
        theme = getattr(bucket, "theme", None)
        if theme is not None:
            self.engine.keep(self.prefix + bucket.key, data, *theme)

    def save_engine(self) -> None:
        """Write the theme templates compiled for this engine, when one was added (`engine.save`)."""
        if self.engine is not None:
            self.engine.save()


class FoldInterfaceStrings(Extension):
    """`t("key")`, a literal key and nothing more, becomes the interface string itself when the
    template is compiled. A page makes dozens of such calls, each through Jinja's runtime: a
    tenth of rendering. A template that binds `t` itself (a macro, a loop, `set`…) or uses it
    otherwise than calling it (or its methods) is compiled as written; `t` bound in one
    template for another to use is not seen: the README reserves the name."""

    def filter_stream(self, stream):  # Jinja's hook
        tokens = list(stream)
        strings = getattr(self.environment.globals.get("t"), "strings", {})
        after = tokens[1:] + [None]
        before = [None] + tokens[:-1]
        if any(token.type == "name" and token.value == "t"
               and (following is None or following.type not in ("lparen", "dot")
                    or (previous is not None and previous.type == "name" and previous.value == "macro"))
               for previous, token, following in zip(before, tokens, after)):
            return iter(tokens)
        folded, index = [], 0
        while index < len(tokens):
            token = tokens[index]
            text = None
            if (token.type == "name" and token.value == "t" and index + 3 < len(tokens)
                    and (index == 0 or tokens[index - 1].type != "dot")
                    and [t.type for t in tokens[index + 1:index + 4]] == ["lparen", "string", "rparen"]):
                try:
                    text = strings[tokens[index + 2].value].format()
                except (KeyError, IndexError, ValueError):
                    text = None  # a value is missing: the call reports it when the page renders
            if text is None:
                folded.append(token)
                index += 1
            else:
                folded.append(Token(token.lineno, TOKEN_STRING, text))
                index += 4
        return iter(folded)


#: what compiled templates escape a `str` with (`Generator`): markupsafe's C function
escape_text = _escape_inner


def escaped(value: Any) -> str:
    """`markupsafe.escape(value)` as text: the same characters, without making a Markup of them."""
    if type(value) is str:
        return _escape_inner(value)
    if type(value) is int:  # (a heading's level, a count: a third of what comes here)
        return str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class Generator(CodeGenerator):
    """Jinja's compiler, writing cheaper code for what every page does many times over.

    - A value a template outputs (`{{ x }}`) is escaped by `markupsafe`'s C function when it
      is a `str`, else by `escaped`, instead of `markupsafe.escape`, which makes a Markup of
      each (two Python calls, 450,000 at 2,000 articles). What is output is only joined into
      the page, or into a macro's or block's text that Jinja makes Markup itself: only the text
      counts.
    - `a.b` reads the attribute in line (`getattr(a, "b", missing)`) and calls the
      environment's `getattr` (Jinja's: then `a["b"]`, then undefined) only when there is no
      such attribute: the same value, without a Python call for each of 400,000 look-ups.
    - A Markup value (a macro's text, a filter's HTML: two thirds of what is not a `str`) is
      output as it is, which is what escaping it gives, without the call.
    - A block, and the template a page extends, are joined into one text where they are
      called (`yield concat(...)`), instead of each of their values being yielded on through
      every template between them and the page (`yield from`): 60 values a page, each passed
      through two or three generators.
    - `{% import ... with context %}` of a template holding only macros asks the environment
      (`imported`) for the module, which it keeps by the values of the variables the
      template reads: Jinja makes it again for every page.

    It also keeps the variables the code reads from the context (`undeclared`), as Jinja's
    `meta.TrackingCodeGenerator` finds them, and every name it resolves (`resolved`)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.undeclared: set[str] = set()
        self.resolved: set[str] = set()
        self._escaping: list[tuple[str, str] | None] = []  # per output child: its temporary, and its value's code

    def enter_frame(self, frame) -> None:  # Jinja's hook
        super().enter_frame(frame)
        for _, (action, param) in frame.symbols.loads.items():
            if action == "resolve":
                self.resolved.add(param)
                if param not in self.environment.globals:
                    self.undeclared.add(param)

    def visit_Template(self, node: nodes.Template, frame=None) -> None:  # Jinja's hook
        self.writeline("escape_text = environment.escape_text")
        super().visit_Template(node, frame)
        # read by the environment's `imported`: None when the module must be made for each import
        reads = tuple(sorted(self.resolved)) if _macros_only(node) else None
        self.writeline(f"context_reads = {reads!r}")

    @optimizeconst
    def visit_Getattr(self, node: nodes.Getattr, frame) -> None:  # Jinja's hook
        if self.environment.is_async or node.attr in HOOKED_ATTRIBUTES:
            super().visit_Getattr(node, frame)
            return
        found, name = self.temporary_identifier(), self._plain_name(node.node, frame)
        if name is not None:
            self.write(f"({found} if ({found} := getattr({name}, {node.attr!r}, missing)) is not missing"
                       f" else environment.getattr({name}, {node.attr!r}))")
            return
        value = self.temporary_identifier()
        self.write(f"({found} if ({found} := getattr(({value} := ")
        self.visit(node.node, frame)
        self.write(f"), {node.attr!r}, missing)) is not missing else environment.getattr({value}, {node.attr!r}))")

    def writeline(self, x: str, node=None, extra: int = 0) -> None:  # Jinja's hook
        if x.startswith(_YIELDED_ON) and not self.environment.is_async:
            x = f"yield concat({x[len('yield from '):]})"
        super().writeline(x, node, extra)

    def _plain_name(self, node: nodes.Node, frame) -> str | None:
        """The code of a name that is a plain local (a macro's parameter, a loop's variable), which
        can be written twice; None for anything else (held in a temporary: less code to compile)."""
        if not isinstance(node, nodes.Name):
            return None
        pending, self._new_lines = self._new_lines, 0  # (a line begun is written with what follows)
        stream, self.stream = self.stream, io.StringIO()
        try:
            self.visit(node, frame)
            code = self.stream.getvalue()
        finally:
            self.stream, self._new_lines = stream, pending
        return code if code.isidentifier() else None

    def visit_Output(self, node: nodes.Output, frame) -> None:  # Jinja's hook
        # a page's text is yielded through the generators of every template it extends, one
        # value at a time: an Output of several parts is yielded as one text
        if frame.buffer is not None or frame.require_output_check or self.environment.is_async \
                or sum(not isinstance(child, nodes.TemplateData) for child in node.nodes) < 2:
            super().visit_Output(node, frame)
            return
        frame.buffer = self.temporary_identifier()
        self.writeline(f"{frame.buffer} = []")
        try:
            super().visit_Output(node, frame)
        finally:
            self.writeline(f"yield concat({frame.buffer})")
            frame.buffer = None

    def _import_common(self, node, frame) -> None:  # Jinja's hook
        if not node.with_context or self.environment.is_async:
            super()._import_common(node, frame)
            return
        self.write("environment.imported(environment.get_template(")
        self.visit(node.template, frame)
        self.write(f", {self.name!r}), context, {self.dump_local_context(frame)})")

    def _output_child_pre(self, node, frame, finalize) -> None:  # Jinja's hook
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            name = self._plain_name(node, frame)
            if name is not None:
                self._escaping.append(("", name))
                self.write(f"(escape_text({name}) if type(")
            else:
                value = self.temporary_identifier()
                self._escaping.append((value, value))
                self.write(f"(escape_text({value}) if type({value} := (")
        else:
            self._escaping.append(None)
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(self, node, frame, finalize) -> None:  # Jinja's hook
        escaping = self._escaping.pop()
        if escaping is None:
            super()._output_child_post(node, frame, finalize)
        else:
            held, value = escaping
            self.write(f"{')' if held else ''}) is str else {value} if type({value}) is Markup"
                       f" else environment.escaped({value}))")


#: what Jinja writes to yield a block's or the parent template's values one by one (`Generator.writeline`);
#: the rest of the line is the call making the generator, in a function that has `concat`
_YIELDED_ON = ("yield from context.blocks[", "yield from parent_template.root_render_func(context)")


def _macros_only(tree: nodes.Template) -> bool:
    """True when a template's top level defines macros and outputs fixed text, nothing else: its
    module then depends on nothing but the values of the names its code resolves."""
    return all(isinstance(n, nodes.Macro) or (isinstance(n, nodes.Output) and all(
        isinstance(child, nodes.TemplateData) for child in n.nodes)) for n in tree.body)


#: callables that take what the template passes and nothing more, unless marked (`pass_context`…)
_PLAIN_CALLABLES = frozenset({types.FunctionType, types.MethodType, types.BuiltinMethodType})


class Context(jinja2.runtime.Context):
    """Jinja's template context, calling a macro, a function or a method without finding out
    what it wants passed: a page makes 20 such calls through Jinja's `Context.call`, which asks
    every callable (and a macro's own `__call__` sorts its arguments in Python)."""

    def call(__self, __obj, *args, **kwargs):  # noqa: N805 - Jinja's hook, its names
        kind = type(__obj)
        if kind is jinja2.runtime.Macro:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            rest = __obj.arguments[len(args):]
            if (__obj.caller or __obj.catch_kwargs or __obj.catch_varargs or len(args) > __obj._argument_count
                    or (kwargs and not kwargs.keys() <= set(rest))):
                return __obj(__self.eval_ctx, *args, **kwargs)  # Macro.__call__ takes the eval context
            # what Macro.__call__ does then: the function on the arguments (`missing` for those
            # not given: it sets their defaults), Markup of its text when autoescaping
            text = __obj._func(*args, *[kwargs.get(name, missing) for name in rest]) if rest else __obj._func(*args)
            return str.__new__(Markup, text) if __self.eval_ctx.autoescape else text
        if kind in _PLAIN_CALLABLES and not hasattr(__obj, "jinja_pass_arg"):
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
            try:
                return __obj(*args, **kwargs)
            except StopIteration:  # as Jinja's
                return __self.environment.undefined("value was undefined because a callable raised a"
                                                    " StopIteration exception")
        return super().call(__obj, *args, **kwargs)


#: the module values `imported` keeps by value; any other by identity (and held, so it stays alive)
_BY_VALUE = frozenset({str, int, float, bool, type(None)})


class Modules:
    """Modules of templates imported with context, kept by the values of the names their code
    resolves (`Generator`): equal values make the same macros, which look those names up when
    called. Kept for one build's renderer (`render.Renderer` starts them afresh)."""

    LIMIT = 64  # listing pages each pass their own `paging`: never more than this many kept

    def __init__(self) -> None:
        self.kept: dict[tuple, tuple[Any, tuple]] = {}

    def imported(self, template, context, locals_: dict[str, Any]):
        """`template` as `{% import ... with context %}` makes it from this context and locals."""
        reads = template.root_render_func.__globals__.get("context_reads")
        if reads is None:
            return template.make_module(context.get_all(), True, locals_)
        parent = context.get_all()
        values = tuple(_value_of(name, parent, locals_) for name in reads)
        key = (template, *((type(v), v) if type(v) in _BY_VALUE else (None, id(v)) for v in values))
        found = self.kept.get(key)
        if found is None:
            if len(self.kept) >= self.LIMIT:
                self.kept.clear()
            found = self.kept[key] = (template.make_module(parent, True, locals_), values)
        return found[0]


def _value_of(name: str, parent: dict[str, Any], locals_: dict[str, Any]) -> Any:
    """What a module's context resolves `name` to (Jinja's `new_context`: the locals over the parent)."""
    value = locals_.get(name, missing)
    return parent.get(name, missing) if value is missing else value
