"""How templates compile and call: Jinja2's own code, with two costs taken out of every page.

- Every `{{ value }}` goes through markupsafe's `escape`, which wraps its result in a `Markup` object only for the
  page to join it into a plain string a moment later. Templates compiled here escape into a plain string: the same
  characters, without the wrapper (about half the cost of each output).
- Every call in a template (`d.human()`, `fragments.event_item(e, 3, root)`, a macro) goes through `Context.call`,
  which looks for `pass_context` and its kin on the object and on its `__call__` before calling it. Functions,
  methods and macros that carry no such mark are called straight away here.

Output, undefined values and the template lines that errors are reported at stay Jinja's own.
"""

from __future__ import annotations

import types
from typing import Any

from jinja2 import Environment
from jinja2.compiler import CodeGenerator, Frame
from jinja2.nodes import Expr, Template
from jinja2.runtime import Context, Macro
from jinja2.utils import internalcode
from markupsafe import escape

try:
    from markupsafe import _escape_inner  # the C function behind escape(), without the Markup around its result
except ImportError:  # pragma: no cover - a markupsafe without it: the same text, through escape()

    def _escape_inner(text: str, /) -> str:
        return str(escape(text))


def escape_text(value: Any) -> str:
    """What markupsafe's `escape` returns, as a plain string: a value with `__html__` as it says, anything else
    with & < > ' " escaped."""
    if type(value) is str:
        return _escape_inner(value)
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return _escape_inner(str(value))


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, escaping output with `escape_text`. Only what a page outputs is escaped here, and
    every output is joined into the page's (or a macro's, or a block's) string, so a plain string is all it needs."""

    def _output_child_pre(self, node: Expr, frame: Frame, finalize: Any) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile:
            self.write("escape_text(")
            if finalize.src is not None:
                self.write(finalize.src)
        else:
            super()._output_child_pre(node, frame, finalize)

    def visit_Template(self, node: Template, frame: Frame | None = None) -> None:
        super().visit_Template(node, frame)
        self.writeline(f"from {__name__} import escape_text")  # after debug_info: no template line moves


_PLAIN_CALLABLES = frozenset({types.FunctionType, types.MethodType, types.BuiltinFunctionType, types.BuiltinMethodType, Macro})


class _Context(Context):
    """Jinja's context, calling plain functions, methods and macros directly."""

    @internalcode
    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if type(__obj) not in _PLAIN_CALLABLES or hasattr(__obj, "jinja_pass_arg"):
            return super().call(__obj, *args, **kwargs)  # pass_context and its kin, callable objects: as Jinja does
        if kwargs:
            kwargs.pop("_block_vars", None)
            kwargs.pop("_loop_vars", None)
        if type(__obj) is Macro:  # Macro.__call__ takes the eval context: it escapes as the caller's place does
            args = (__self.eval_ctx, *args)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:
            return __self.environment.undefined("value was undefined because a callable raised a StopIteration exception")


class TemplateEnvironment(Environment):
    """A Jinja2 environment whose templates escape into plain strings and call plain functions directly."""

    code_generator_class = _CodeGenerator
    context_class = _Context
