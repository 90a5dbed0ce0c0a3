"""A small evaluator of XLSForm expressions (relevant, constraint, calculation, default) with
ODK's XPath 1.0 semantics, as JavaRosa (ODK Collect) applies them.

No Django import: the same module checks a form at import time (:func:`parse`) and evaluates its
logic on the server for the page and the API alike (:func:`evaluate`).

What it follows (https://docs.getodk.org/form-operators-functions):

- ``${name}`` is a reference to another question; ``.`` is the current question's value.
- A reference to one question unpacks to its value (a string; a date question's value is a
  date); a reference from outside a repeat to a question inside it is the list of its values
  (for ``count``, ``sum``, ``join``, ``max``, ``min``).
- Comparisons: when either side is a boolean both are booleans; else when either side is a
  number both are numbers; else strings. ``<``, ``<=``, ``>``, ``>=`` always compare numbers.
  An empty answer is NaN as a number, so ``${age} > 5`` and ``${age} = 5`` are false while the
  age is empty (and ``!=`` is true, as IEEE 754 has it).
- ``and``/``or`` short-circuit; ``if()`` evaluates only the branch it takes.
- ``a | b`` (XPath's union) is the values of both references, left then right;
  ``randomize(values[, seed])`` shuffles them in the order ODK Collect and Enketo give for the
  same seed (:func:`shuffle`).
"""

import datetime
import math
import re
from dataclasses import dataclass

__all__ = ["ExpressionError", "parse", "evaluate", "references", "to_boolean", "to_string", "to_number"]


class ExpressionError(ValueError):
    """An expression that cannot be read or evaluated; the message says where."""


# --- values ----------------------------------------------------------------------------------


class NodeSet(list):
    """The values a reference reaches (several for a question inside a repeat)."""


EPOCH = datetime.date(1970, 1, 1)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


def _unpack(value):
    if isinstance(value, NodeSet):
        return value[0] if value else ""
    return value


def to_string(value):
    value = _unpack(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        if value == int(value):
            return str(int(value))
        return repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.datetime):
        return value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return "" if value is None else str(value)


def to_number(value):
    value = _unpack(value)
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, datetime.datetime):
        return (value - datetime.datetime(1970, 1, 1, tzinfo=value.tzinfo)).total_seconds() / 86400
    if isinstance(value, datetime.date):
        return float((value - EPOCH).days)
    text = to_string(value).strip()
    if not text or not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", text):
        return math.nan
    return float(text)


def to_boolean(value):
    value = _unpack(value)
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, datetime.date):
        return True
    return bool(to_string(value))


def to_date(value):
    value = _unpack(value)
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if math.isnan(value):
            raise ExpressionError("not a date: NaN")
        return EPOCH + datetime.timedelta(days=math.floor(value))
    text = to_string(value).strip()
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        raise ExpressionError(f"not a date: {text!r}") from None


# --- tokens and syntax tree ------------------------------------------------------------------

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<ref>\$\{\s*(?P<refname>[A-Za-z_][\w.\-]*)\s*\})
      | (?P<number>\d+(?:\.\d*)?|\.\d+)
      | (?P<string>'[^']*'|"[^"]*")
      | (?P<op>!=|<=|>=|=|<|>|\+|-|\*|\(|\)|,|\.\.|\.|\|)
      | (?P<name>[A-Za-z_][\w\-]*(?::[A-Za-z_][\w\-]*)?)
    )""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str
    value: str
    position: int


def tokenize(text):
    tokens, position = [], 0
    text = text or ""
    while position < len(text):
        if text[position:].strip() == "":
            break
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            raise ExpressionError(f"unexpected character {text[position:].strip()[:1]!r} at position {position + 1}")
        kind = match.lastgroup if match.lastgroup != "refname" else "ref"
        if match.group("ref"):
            kind, value = "ref", match.group("refname")
        elif match.group("number"):
            kind, value = "number", match.group("number")
        elif match.group("string"):
            kind, value = "string", match.group("string")[1:-1]
        elif match.group("op"):
            kind, value = "op", match.group("op")
        else:
            kind, value = "name", match.group("name")
        tokens.append(Token(kind, value, match.start(kind if kind != "ref" else "ref") + 1))
        position = match.end()
    tokens.append(Token("end", "", len(text) + 1))
    return tokens


# Binary operators by precedence (XPath 1.0, section 3.4-3.5), loosest first.
_PRECEDENCE = {"or": 1, "and": 2, "=": 3, "!=": 3, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5, "*": 6, "div": 6, "mod": 6}


# Deeper than any form needs (ODK's own examples nest a few levels); a form nesting 3,000 levels
# exhausted Python's stack.
MAX_DEPTH = 100


class _Parser:
    def __init__(self, text, fields=False):
        self.text = text
        self.fields = fields
        self.tokens = tokenize(text)
        self.index = 0
        self.depth = 0

    def _deeper(self):
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"the expression is nested more than {MAX_DEPTH} levels deep")

    def peek(self):
        return self.tokens[self.index]

    def take(self):
        token = self.tokens[self.index]
        self.index += 1
        return token

    def expect(self, value):
        token = self.take()
        if token.value != value or token.kind not in ("op", "name"):
            raise ExpressionError(f"expected {value!r} at position {token.position}, found {token.value or 'the end'!r}")
        return token

    def parse(self):
        if self.peek().kind == "end":
            raise ExpressionError("the expression is empty")
        tree = self.expression(0)
        token = self.peek()
        if token.kind != "end":
            raise ExpressionError(f"unexpected {token.value!r} at position {token.position}")
        return tree

    def _binary_operator(self, token):
        if token.kind == "op" and token.value in _PRECEDENCE:
            return token.value
        if token.kind == "name" and token.value in ("or", "and", "div", "mod"):
            return token.value
        return None

    def expression(self, min_precedence):
        self._deeper()
        left = self.unary()
        while True:
            operator = self._binary_operator(self.peek())
            if operator is None or _PRECEDENCE[operator] <= min_precedence:
                self.depth -= 1
                return left
            self.take()
            right = self.expression(_PRECEDENCE[operator])
            left = ("binary", operator, left, right)

    def unary(self):
        token = self.peek()
        if token.kind == "op" and token.value == "-":
            self.take()
            self._deeper()
            operand = self.unary()
            self.depth -= 1
            return ("negate", operand)
        return self.union()

    def union(self):
        """XPath's union ``a | b`` (binds tighter than any other operator): the values of both
        sides, left then right; each side a reference, a function call or another union."""
        left = self.primary()
        while self.peek().kind == "op" and self.peek().value == "|":
            bar = self.take()
            right = self.primary()
            for side in (left, right):
                if side[0] not in ("ref", "call", "union", "current"):
                    raise ExpressionError(f"'|' at position {bar.position} joins question references (${{name}}), not values")
            left = ("union", left, right)
        return left

    def primary(self):
        token = self.take()
        if token.kind == "number":
            return ("literal", float(token.value))
        if token.kind == "string":
            return ("literal", token.value)
        if token.kind == "ref":
            return ("ref", token.value)
        if token.kind == "op" and token.value == "(":
            inner = self.expression(0)
            self.expect(")")
            return inner
        if token.kind == "op" and token.value == ".":
            return ("current",)
        if token.kind == "name" and self.peek().kind == "op" and self.peek().value == "(":
            self.take()
            arguments = []
            if not (self.peek().kind == "op" and self.peek().value == ")"):
                arguments.append(self.expression(0))
                while self.peek().kind == "op" and self.peek().value == ",":
                    self.take()
                    arguments.append(self.expression(0))
            self.expect(")")
            if token.value not in FUNCTIONS:
                raise ExpressionError(f"unknown function {token.value}() at position {token.position}")
            low, high = FUNCTIONS[token.value][1]
            if len(arguments) < low or (high is not None and len(arguments) > high):
                raise ExpressionError(f"{token.value}() takes {_arity(low, high)}, not {len(arguments)}")
            return ("call", token.value, tuple(arguments))
        if token.kind == "end":
            raise ExpressionError("the expression ends too early")
        if token.kind == "op" and token.value == ".." and self.tokens[self.index - 2].value == "(" and self.peek().value == ")":
            return ("parent",)  # position(..): the instance of the repeat the expression sits in
        if token.kind == "op" and token.value in ("..", "|"):
            raise ExpressionError(f"{token.value!r} at position {token.position} is not supported; use ${{name}} references")
        if token.kind == "name" and self.fields:
            return ("field", token.value)  # a choice's column, in a choice_filter
        if token.kind == "name":
            raise ExpressionError(f"{token.value!r} at position {token.position} is not supported; use ${{name}} references")
        raise ExpressionError(f"unexpected {token.value!r} at position {token.position}")


def _arity(low, high):
    if high == low:
        return f"{low} argument(s)"
    if high is None:
        return f"at least {low} argument(s)"
    return f"{low} to {high} arguments"


_CACHE = {}


def parse(text, fields=False):
    """The syntax tree of ``text`` (cached); :class:`ExpressionError` when it cannot be read.
    With ``fields`` (a choice_filter), a bare name is a column of the choice being filtered."""
    tree = _CACHE.get((text, fields))
    if tree is None:
        tree = _Parser(text, fields).parse()
        if len(_CACHE) < 10_000:
            _CACHE[(text, fields)] = tree
    return tree


def references(text):
    """The names that ``text`` refers to with ``${name}``."""
    return [token.value for token in tokenize(text) if token.kind == "ref"]


# --- evaluation ------------------------------------------------------------------------------


@dataclass
class Context:
    """What an expression sees: ``resolve(name)`` gives a reference's value (a value or a
    :class:`NodeSet`), ``current`` the value of ``.``, ``choice_label(question, value)`` a choice
    label in the form's language, ``today`` the date (fixed by tests)."""

    resolve: object
    current: object = ""
    choice_label: object = None
    today: datetime.date = None
    now: datetime.datetime = None
    fields: dict = None  # a choice's columns, for the bare names of a choice_filter
    attachments: dict = None  # file name -> rows of an attached CSV, for pulldata()
    position: int = None  # the instance (from 1) of the innermost repeat, for position(..)
    indexed: object = None  # indexed(name, [(repeat, index), ...]) -> value, for indexed-repeat()


def evaluate(text, context, fields=False):
    """The value of the expression ``text`` in ``context`` (``fields``: a choice_filter)."""
    if not isinstance(context, Context):
        values = dict(context)
        context = Context(resolve=lambda name: values.get(name, ""))
    return _eval(parse(text, fields), context)


def _eval(node, context):
    kind = node[0]
    if kind == "literal":
        return node[1]
    if kind == "ref":
        return context.resolve(node[1])
    if kind == "current":
        return context.current
    if kind == "field":
        if context.fields is None:
            raise ExpressionError(f"{node[1]!r} is not supported here; use ${{name}} references")
        return context.fields.get(node[1], "")
    if kind == "parent":
        raise ExpressionError("'..' is supported only as position(..)")
    if kind == "negate":
        return -to_number(_eval(node[1], context))
    if kind == "call":
        function = FUNCTIONS[node[1]][0]
        return function(context, node[2])
    if kind == "union":
        return NodeSet(_nodes(_eval(node[1], context)) + _nodes(_eval(node[2], context)))
    operator, left_node, right_node = node[1], node[2], node[3]
    if operator == "or":
        return to_boolean(_eval(left_node, context)) or to_boolean(_eval(right_node, context))
    if operator == "and":
        return to_boolean(_eval(left_node, context)) and to_boolean(_eval(right_node, context))
    left, right = _eval(left_node, context), _eval(right_node, context)
    if operator in ("=", "!="):
        return _equals(left, right) if operator == "=" else not _equals(left, right) if not _nan_pair(left, right) else True
    if operator in ("<", "<=", ">", ">="):
        a, b = _comparable_numbers(left, right)
        if math.isnan(a) or math.isnan(b):
            return False
        return {"<": a < b, "<=": a <= b, ">": a > b, ">=": a >= b}[operator]
    a, b = to_number(left), to_number(right)
    if operator == "+":
        return a + b
    if operator == "-":
        return a - b
    if operator == "*":
        return a * b
    if operator == "div":
        if b == 0:
            return math.nan if a == 0 or math.isnan(a) else math.copysign(math.inf, a) * math.copysign(1, b)
        return a / b
    if operator == "mod":
        if b == 0 or math.isnan(a) or math.isnan(b):
            return math.nan
        return math.fmod(a, b)
    raise ExpressionError(f"unknown operator {operator}")  # pragma: no cover


def _is_date(value):
    return isinstance(_unpack(value), datetime.date)


def _comparable_numbers(left, right):
    if _is_date(left) or _is_date(right):
        # A date compared with a date string: both as days since 1970 (as JavaRosa does).
        try:
            return to_number(to_date(left)), to_number(to_date(right))
        except ExpressionError:
            return math.nan, math.nan
    return to_number(left), to_number(right)


def _nan_pair(left, right):
    left, right = _unpack(left), _unpack(right)
    if isinstance(left, bool) or isinstance(right, bool):
        return False
    if isinstance(left, float) or isinstance(right, float):
        return math.isnan(to_number(left)) or math.isnan(to_number(right))
    return False


def _equals(left, right):
    left, right = _unpack(left), _unpack(right)
    if isinstance(left, bool) or isinstance(right, bool):
        return to_boolean(left) == to_boolean(right)
    if isinstance(left, (int, float)) or isinstance(right, (int, float)):
        a, b = to_number(left), to_number(right)
        return a == b  # NaN equals nothing
    if isinstance(left, datetime.date) or isinstance(right, datetime.date):
        try:
            return to_date(left) == to_date(right)
        except ExpressionError:
            return False
    return to_string(left) == to_string(right)


# --- ODK's functions -------------------------------------------------------------------------


def _args(context, arguments):
    return [_eval(argument, context) for argument in arguments]


def _nodes(value):
    if isinstance(value, NodeSet):
        return list(value)
    return [value]


def _selected_items(value):
    return to_string(value).split()


def _fn_if(context, arguments):
    condition = to_boolean(_eval(arguments[0], context))
    return _eval(arguments[1] if condition else arguments[2], context)


def _fn_coalesce(context, arguments):
    for argument in arguments:
        value = _eval(argument, context)
        if to_string(value) != "":
            return value
    return ""


def _fn_selected(context, arguments):
    value, choice = _args(context, arguments)
    return to_string(choice).strip() in _selected_items(value)


def _fn_selected_at(context, arguments):
    value, index = _args(context, arguments)
    items = _selected_items(value)
    position = to_number(index)
    if math.isnan(position) or not 0 <= int(position) < len(items):
        return ""
    return items[int(position)]


def _fn_regex(context, arguments):
    value, pattern = (to_string(v) for v in _args(context, arguments))
    try:
        return re.search(pattern, value) is not None
    except re.error as exc:
        raise ExpressionError(f"bad regular expression {pattern!r}: {exc}") from None


def _fn_substr(context, arguments):
    values = _args(context, arguments)
    text = to_string(values[0])
    start = int(to_number(values[1]))
    end = int(to_number(values[2])) if len(values) > 2 else len(text)
    return text[max(start, 0):max(end, 0)]


def _round(context, arguments):
    values = _args(context, arguments)
    number = to_number(values[0])
    digits = int(to_number(values[1])) if len(values) > 1 else 0
    if math.isnan(number) or math.isinf(number):
        return number
    # Half away from zero, as JavaRosa's round() (not Python's banker's rounding).
    factor = 10 ** digits
    return math.copysign(math.floor(abs(number) * factor + 0.5), number) / factor


def _int(context, arguments):
    number = to_number(_eval(arguments[0], context))
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


def _number_list(values):
    numbers = []
    for value in values:
        numbers += [to_number(node) for node in _nodes(value)]
    return numbers


def _fn_sum(context, arguments):
    return float(sum(_number_list(_args(context, arguments))))


def _fn_max(context, arguments):
    numbers = _number_list(_args(context, arguments))
    if not numbers or any(math.isnan(n) for n in numbers):
        return math.nan
    return max(numbers)


def _fn_min(context, arguments):
    numbers = _number_list(_args(context, arguments))
    if not numbers or any(math.isnan(n) for n in numbers):
        return math.nan
    return min(numbers)


def _fn_count(context, arguments):
    value = _eval(arguments[0], context)
    return float(len(value)) if isinstance(value, NodeSet) else 1.0


def _fn_count_non_empty(context, arguments):
    return float(sum(1 for node in _nodes(_eval(arguments[0], context)) if to_string(node) != ""))


def _fn_join(context, arguments):
    values = _args(context, arguments)
    separator = to_string(values[0])
    items = []
    for value in values[1:]:
        items += [to_string(node) for node in _nodes(value)]
    return separator.join(items)


def _fn_choice_name(context, arguments):
    value, question = (to_string(v) for v in _args(context, arguments))
    name = question.strip()
    if name.startswith("${") and name.endswith("}"):
        name = name[2:-1].strip()
    else:
        name = name.rstrip("/").split("/")[-1]
    if context.choice_label is None:
        return value
    return context.choice_label(name, value)


def _fn_today(context, arguments):
    return context.today or datetime.date.today()


def _fn_now(context, arguments):
    return context.now or datetime.datetime.now(datetime.timezone.utc)


def _fn_date(context, arguments):
    return to_date(_eval(arguments[0], context))


def _fn_format_date(context, arguments):
    value, pattern = _args(context, arguments)
    if to_string(value) == "":
        return ""
    date = to_date(value)
    # ODK's format-date: %Y %y %m %n %d %e %b %a (https://docs.getodk.org/form-operators-functions/#format-date)
    replacements = {
        "%Y": f"{date.year:04d}", "%y": f"{date.year % 100:02d}", "%m": f"{date.month:02d}",
        "%n": str(date.month), "%d": f"{date.day:02d}", "%e": str(date.day),
        "%b": date.strftime("%b"), "%a": date.strftime("%a"),
    }
    return re.sub(r"%[YymndebA-Za-z]", lambda m: replacements.get(m.group(0), m.group(0)), to_string(pattern))


def _fn_boolean_from_string(context, arguments):
    return to_string(_eval(arguments[0], context)).strip() in ("true", "1")


def _one(function):
    return lambda context, arguments: function(_eval(arguments[0], context))


def _two(function):
    return lambda context, arguments: function(*_args(context, arguments))


def _fn_concat(context, arguments):
    return "".join(to_string(node) for value in _args(context, arguments) for node in _nodes(value))


def _fn_pow(a, b):
    try:
        return math.pow(to_number(a), to_number(b))
    except (OverflowError, ValueError):
        return math.nan


def _translate(context, arguments):
    text, source, target = (to_string(v) for v in _args(context, arguments))
    table = {}
    for index, character in enumerate(source):
        if character not in table:
            table[character] = target[index] if index < len(target) else None
    return "".join(table.get(c, c) or "" for c in text)


def _sqrt(value):
    number = to_number(value)
    return math.sqrt(number) if number >= 0 else math.nan


# name -> (function(context, argument nodes), (fewest, most arguments or None))
def _fn_position(context, arguments):
    if arguments[0] != ("parent",):
        raise ExpressionError("position() takes '..', the current repeat instance")
    if context.position is None:
        raise ExpressionError("position(..) is used outside a repeat")
    return float(context.position)


def _fn_indexed_repeat(context, arguments):
    """indexed-repeat(${q}, ${repeat}, i[, ${inner repeat}, j ...]): the value of q in the i-th
    instance of the repeat (and the j-th of a repeat inside it)."""
    if len(arguments) % 2 == 0 or any(node[0] != "ref" for node in arguments[0::2][:1] + arguments[1::2]):
        raise ExpressionError("indexed-repeat() takes ${question}, then pairs of ${repeat} and a position")
    path = []
    for repeat_node, index_node in zip(arguments[1::2], arguments[2::2]):
        index = to_number(_eval(index_node, context))
        if math.isnan(index) or index < 1:
            return ""
        path.append((repeat_node[1], int(index)))
    if context.indexed is None:
        raise ExpressionError("indexed-repeat() is not available here")
    return context.indexed(arguments[0][1], path)


def _fn_pulldata(context, arguments):
    """pulldata('file', 'column', 'key column', key): from a CSV attached to the form, the
    column of the first row whose key column equals key; empty when none does."""
    name, column, key_column, key = (to_string(v) for v in _args(context, arguments))
    rows = (context.attachments or {}).get(name + ".csv")
    if rows is None:
        raise ExpressionError(f"pulldata(): no file '{name}.csv' is attached to the form")
    for row in rows:
        if row.get(key_column, "") == key:
            return row.get(column, "")
    return ""


def _fn_distance(context, arguments):
    """distance(): metres along a geotrace (or between points), on a sphere of radius
    6,378,100 m as ODK has it."""
    points = _geo_points(context, arguments)
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        dp, dl = p2 - p1, math.radians(lon2 - lon1)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        total += 2 * 6378100 * math.asin(math.sqrt(a))
    return total


def _fn_checklist(weighted):
    def checklist(context, arguments):
        values = _args(context, arguments)
        low, high = to_number(values[0]), to_number(values[1])
        rest = values[2:]
        if weighted:
            pairs = list(zip(rest[0::2], rest[1::2]))
        else:
            pairs = [(v, 1.0) for v in rest]
        total = 0.0
        for value, weight in pairs:
            for item in _nodes(value):
                if to_string(item) == "yes":  # ODK counts the answers that are exactly "yes"
                    total += to_number(weight)
        return (low < 0 or total >= low) and (high < 0 or total <= high)

    return checklist


def _number_function(function):
    def apply(value):
        number = to_number(value)
        try:
            return float(function(number))
        except (ValueError, OverflowError):
            return math.nan

    return _one(apply)


def _fn_format_date_time(context, arguments):
    value, pattern = _args(context, arguments)
    if to_string(value) == "":
        return ""
    moment = _unpack(value)
    if not isinstance(moment, datetime.datetime):
        text = to_string(moment)
        try:
            moment = datetime.datetime.fromisoformat(text)
        except ValueError:
            moment = datetime.datetime.combine(to_date(value), datetime.time())
    replacements = {
        "%Y": f"{moment.year:04d}", "%y": f"{moment.year % 100:02d}", "%m": f"{moment.month:02d}", "%n": str(moment.month),
        "%d": f"{moment.day:02d}", "%e": str(moment.day), "%H": f"{moment.hour:02d}", "%h": str(moment.hour),
        "%M": f"{moment.minute:02d}", "%S": f"{moment.second:02d}", "%3": f"{moment.microsecond // 1000:03d}",
        "%b": moment.strftime("%b"), "%a": moment.strftime("%a"),
    }
    return re.sub(r"%[A-Za-z3]", lambda m: replacements.get(m.group(0), m.group(0)), to_string(pattern))


def _fn_uuid(context, arguments):
    import secrets
    import uuid

    if arguments:
        length = int(to_number(_eval(arguments[0], context)))
        alphabet = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
        return "".join(secrets.choice(alphabet) for _i in range(max(0, length)))
    return str(uuid.uuid4())


def _fn_digest(context, arguments):
    """digest(data, algorithm[, encoding]): MD5, SHA-1, SHA-256, SHA-384 or SHA-512 of the text,
    in base64 (the default) or hex."""
    import base64
    import hashlib

    values = [to_string(v) for v in _args(context, arguments)]
    algorithms = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}
    if values[1] not in algorithms:
        raise ExpressionError(f"digest(): unknown algorithm {values[1]!r}")
    digest = hashlib.new(algorithms[values[1]], values[0].encode("utf-8")).digest()
    encoding = values[2] if len(values) > 2 else "base64"
    if encoding == "hex":
        return digest.hex()
    if encoding == "base64":
        return base64.b64encode(digest).decode("ascii")
    raise ExpressionError(f"digest(): unknown encoding {encoding!r}")


def _geo_points(context, arguments):
    points = []
    for value in _args(context, arguments):
        for part in (_nodes(value) if isinstance(value, NodeSet) else [value]):
            for point in to_string(part).split(";"):
                numbers = point.split()
                if len(numbers) >= 2:
                    points.append((float(numbers[0]), float(numbers[1])))
    return points


def _fn_area(context, arguments):
    """area(): square metres of a geoshape (or a ring of points) on a sphere of JavaRosa's radius,
    by the spherical excess of its edges."""
    points = _geo_points(context, arguments)
    if len(points) < 3:
        return 0.0
    if points[0] != points[-1]:
        points.append(points[0])
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in zip(points, points[1:]):
        total += math.radians(lon2 - lon1) * (2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total * 6378100 ** 2 / 2)


def _fn_random(context, arguments):
    import random

    return random.random()


class _ParkMiller:
    """The seeded generator of ODK's randomize() (JavaRosa's ParkMiller, Enketo's park-miller):
    the same seed gives the same order in Collect, Enketo and here."""

    MODULUS, MULTIPLIER = 2147483647, 16807

    def __init__(self, seed):
        self.state = math.fmod(float(seed), self.MODULUS)
        if self.state <= 0:
            self.state += self.MODULUS - 1

    def random(self):
        self.state = self.state * self.MULTIPLIER % self.MODULUS
        return (self.state - 1) / (self.MODULUS - 1)


def shuffle(values, seed=None):
    """``values`` in ODK's randomize() order: an inside-out Fisher-Yates shuffle drawing from
    :class:`_ParkMiller` when there is a seed (a whole number), from the system otherwise."""
    import random

    draw = _ParkMiller(seed).random if seed is not None else random.random
    result = []
    for i, value in enumerate(values):
        j = math.floor(draw() * (i + 1))
        if j == i:
            result.append(value)
        else:
            result.append(result[j])
            result[j] = value
    return result


def randomize_seed(value):
    """The whole-number seed of randomize() from an expression's value (ODK truncates)."""
    number = to_number(value)
    if not math.isfinite(number):
        raise ExpressionError(f"randomize() needs a number as its seed, not {to_string(value)!r}")
    return int(number)


def _fn_randomize(context, arguments):
    values = _nodes(_eval(arguments[0], context))
    seed = randomize_seed(_eval(arguments[1], context)) if len(arguments) > 1 else None
    return NodeSet(shuffle(values, seed))


FUNCTIONS = {
    "if": (_fn_if, (3, 3)),
    "true": (lambda context, arguments: True, (0, 0)),
    "false": (lambda context, arguments: False, (0, 0)),
    "not": (_one(lambda v: not to_boolean(v)), (1, 1)),
    "boolean": (_one(to_boolean), (1, 1)),
    "boolean-from-string": (_fn_boolean_from_string, (1, 1)),
    "number": (_one(to_number), (1, 1)),
    "string": (_one(to_string), (1, 1)),
    "int": (_int, (1, 1)),
    "round": (_round, (1, 2)),
    "floor": (_one(lambda v: float(math.floor(to_number(v))) if math.isfinite(to_number(v)) else to_number(v)), (1, 1)),
    "ceiling": (_one(lambda v: float(math.ceil(to_number(v))) if math.isfinite(to_number(v)) else to_number(v)), (1, 1)),
    "abs": (_one(lambda v: abs(to_number(v))), (1, 1)),
    "pow": (_two(_fn_pow), (2, 2)),
    "sqrt": (_one(_sqrt), (1, 1)),
    "sum": (_fn_sum, (1, 1)),
    "max": (_fn_max, (1, None)),
    "min": (_fn_min, (1, None)),
    "count": (_fn_count, (1, 1)),
    "count-non-empty": (_fn_count_non_empty, (1, 1)),
    "selected": (_fn_selected, (2, 2)),
    "count-selected": (_one(lambda v: float(len(_selected_items(v)))), (1, 1)),
    "selected-at": (_fn_selected_at, (2, 2)),
    "jr:choice-name": (_fn_choice_name, (2, 2)),
    "regex": (_fn_regex, (2, 2)),
    "contains": (_two(lambda a, b: to_string(b) in to_string(a)), (2, 2)),
    "starts-with": (_two(lambda a, b: to_string(a).startswith(to_string(b))), (2, 2)),
    "ends-with": (_two(lambda a, b: to_string(a).endswith(to_string(b))), (2, 2)),
    "substr": (_fn_substr, (2, 3)),
    "substring-before": (_two(lambda a, b: to_string(a).partition(to_string(b))[0] if to_string(b) in to_string(a) else ""), (2, 2)),
    "substring-after": (_two(lambda a, b: to_string(a).partition(to_string(b))[2] if to_string(b) in to_string(a) else ""), (2, 2)),
    # Without an argument, the value of the question the expression belongs to (ODK).
    "string-length": (lambda context, arguments: float(len(to_string(_eval(arguments[0], context) if arguments else context.current))), (0, 1)),
    "normalize-space": (lambda context, arguments: " ".join(to_string(_eval(arguments[0], context) if arguments else context.current).split()), (0, 1)),
    "translate": (_translate, (3, 3)),
    "concat": (_fn_concat, (0, None)),
    "join": (_fn_join, (1, None)),
    "coalesce": (_fn_coalesce, (2, 2)),
    "today": (_fn_today, (0, 0)),
    "now": (_fn_now, (0, 0)),
    "date": (_fn_date, (1, 1)),
    "decimal-date-time": (_one(lambda v: to_number(to_date(v)) if not isinstance(_unpack(v), datetime.datetime) else to_number(v)), (1, 1)),
    "format-date": (_fn_format_date, (2, 2)),
    "once": (_one(lambda v: v), (1, 1)),
    # ODK's mathematics (https://docs.getodk.org/form-operators-functions/#math-functions):
    # angles in radians, a value outside a function's domain is NaN.
    "sin": (_number_function(math.sin), (1, 1)),
    "cos": (_number_function(math.cos), (1, 1)),
    "tan": (_number_function(math.tan), (1, 1)),
    "asin": (_number_function(math.asin), (1, 1)),
    "acos": (_number_function(math.acos), (1, 1)),
    "atan": (_number_function(math.atan), (1, 1)),
    "atan2": (_two(lambda y, x: math.atan2(to_number(y), to_number(x))), (2, 2)),
    "exp": (_number_function(math.exp), (1, 1)),
    "exp10": (_number_function(lambda v: 10.0 ** v), (1, 1)),
    "log": (_number_function(lambda v: math.log(v) if v > 0 else (-math.inf if v == 0 else math.nan)), (1, 1)),
    "log10": (_number_function(lambda v: math.log10(v) if v > 0 else (-math.inf if v == 0 else math.nan)), (1, 1)),
    "pi": (lambda context, arguments: math.pi, (0, 0)),
    "random": (_fn_random, (0, 0)),
    "randomize": (_fn_randomize, (1, 2)),
    "uuid": (_fn_uuid, (0, 1)),
    "position": (_fn_position, (1, 1)),
    "indexed-repeat": (_fn_indexed_repeat, (3, None)),
    "pulldata": (_fn_pulldata, (4, 4)),
    "distance": (_fn_distance, (1, None)),
    "area": (_fn_area, (1, None)),
    "digest": (_fn_digest, (2, 3)),
    "checklist": (_fn_checklist(False), (2, None)),
    "weighted-checklist": (_fn_checklist(True), (3, None)),
    "date-time": (_fn_date, (1, 1)),
    "decimal-time": (_one(lambda v: _decimal_time(v)), (1, 1)),
    "format-date-time": (_fn_format_date_time, (2, 2)),
    "string": (_one(to_string), (1, 1)),
}


def _decimal_time(value):
    """decimal-time('06:00:00.000-07:00') = 0.25 in ODK: the fraction of a day (time zone ignored)."""
    match = re.match(r"^(\d{2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?", to_string(value))
    if not match:
        return math.nan
    hours, minutes, seconds = int(match.group(1)), int(match.group(2)), float(match.group(3) or 0)
    return (hours * 3600 + minutes * 60 + seconds) / 86400
