"""What the cluster looks like now: read-only probes, pure parsers, and the typed observed model.

`probes` lists the fixed set of read-only commands; `parsers/` turn their text into data;
`observe` runs the probes through a transport and builds an `Observed`.
"""
