"""The live handoff queue and the takeover conversation view of the staff app (/admin/queue,
/admin/conversations/…): who waits for a person, claiming, replying, notes, transfer, hand-back
and close. The state machine itself is `bot.handoff`; this package only shows and drives it."""
