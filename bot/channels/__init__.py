"""Channels: where users reach the bot (web chat, Telegram, terminal), all through `bot.inbound`.

A channel turns what arrives into an `InboundMessage`, calls `handle_message`, commits, and
renders the stored replies its own way. The composition root hands every channel one
`ChannelContext` (`bot.channels.context`); channels never read settings themselves.
"""
