"""The guidance dialogue: state + interpretation (+ injected lookups) -> replies + next state.

Pure: no database, no channel, no settings. Channels and the inbound use case call `respond`,
store the returned state on the conversation and act on the returned events.
"""
