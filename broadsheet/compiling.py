"""How Broadsheet compiles the site's templates: Jinja's compiler with a cheaper escape and the
variables a template reads kept for its digests (`Generator`), interface strings folded in at
compile time (`FoldInterfaceStrings`), and the compiled templates kept in the build state
(`StateBytecode`)."""

from __future__ import annotations

from typing import Any

import jinja2
from jinja2.compiler import CodeGenerator
from jinja2.ext import Extension
from jinja2.lexer import TOKEN_STRING, Token

try:
    from markupsafe._speedups import _escape_inner
except ImportError:  # pragma: no cover - markupsafe built without its C module
    from markupsafe._native import _escape_inner

#: the version of the compiled templates (what FoldInterfaceStrings and Generator do), in the
#: name under which the build state keeps them
FOLDING = 2


class StateBytecode(jinja2.BytecodeCache):
    """Compiled templates kept in the build state (a dict saved with its index), under a prefix
    naming the interface strings folded into them (FoldInterfaceStrings), which Jinja's own
    check of the template's source does not cover."""

    def __init__(self, compiled: dict[str, bytes], prefix: str):
        self.compiled = compiled
        self.prefix = prefix

    def load_bytecode(self, bucket) -> None:  # Jinja's hook
        found = self.compiled.get(self.prefix + bucket.key)
        if found is not None:
            bucket.bytecode_from_string(found)

    def dump_bytecode(self, bucket) -> None:  # Jinja's hook
        self.compiled[self.prefix + bucket.key] = bucket.bytecode_to_string()


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


def escaped(value: Any) -> str:
    """`markupsafe.escape(value)` as text: the same characters, without making a Markup of them."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return _escape_inner(str(value))


class Generator(CodeGenerator):
    """Jinja's compiler, but a value a template outputs (`{{ x }}`) is escaped by `escaped`
    instead of `markupsafe.escape`, which makes a Markup of each (two Python calls, 450,000 at
    2,000 articles: 0.15 CPU s, a tenth of rendering). What is output is only joined into the
    page, or into a macro's or block's text that Jinja makes Markup itself: only the text counts.
    It also keeps the variables the code reads from the context (`undeclared`), as Jinja's
    `meta.TrackingCodeGenerator` finds them."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.undeclared: set[str] = set()

    def enter_frame(self, frame) -> None:  # Jinja's hook
        super().enter_frame(frame)
        for _, (action, param) in frame.symbols.loads.items():
            if action == "resolve" and param not in self.environment.globals:
                self.undeclared.add(param)

    def _output_child_pre(self, node, frame, finalize) -> None:  # Jinja's hook
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("environment.escaped(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)
