"""Pure parsers: the text a tool printed in, plain frozen data out; one module per tool family.

They never touch a transport, so every format is tested with fixture files alone. Each one is
called by product code (a probe, a wait or a re-observation): no parser for a format nothing
reads. Malformed
output raises `ParseError`; the observe runner adds the host and command it came from.
"""
