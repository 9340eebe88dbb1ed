"""Fakes at the network edge: stand-ins for servers we talk to over HTTP."""
