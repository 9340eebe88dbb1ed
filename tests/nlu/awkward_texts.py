"""Texts that tend to break shortcuts in feature computation, shared by the NLU tests."""

VARIED = [
    "",
    "   ",
    "a",
    "🙂🙂🙂 😭",
    "jeg vil ikke leve mer",
    "jeg jeg jeg jeg ikke ikke",  # repeated words: counts above one, sublinear tf
    "hei hei, lurer på barnehageplass",
    "æøå ÆØÅ ok",
    "xqzvbl blorfnik snurkelvatt",  # no known word at all
    "Sønnen min (8) blir mobbet på skolen 😭 hva gjør jeg??",
    "SELVMORD!!! heeeeelp mobbbing",
    "Vi har hatt en fin helg med fotball og kino. " * 30 + "Jeg har det vondt.",
]
# The rows must hold for any text, not only normalised text: tabs, runs of spaces, capitals.
RAW = ["Hei  \t du\n\nder", "  ledende og  etterfølgende  ", "ABC abc AbC"]
