"""Every sentence the web chat's API says itself, in Bokmål (the page's own words are in
`static/index.html`). What the bot says in the conversation lives in `bot/dialogue/texts`."""

EMPTY_MESSAGE = "Meldingen er tom. Skriv noe før du sender."
TOO_LONG = "Meldingen er for lang. Del den gjerne opp i flere meldinger."
UNKNOWN_KEY = "Samtalen ble ikke funnet på denne enheten. Last siden på nytt for å begynne på nytt."
NO_CONVERSATION = "Skriv en melding først, så kan du få en samtalekode."
CONVERSATION_CLOSED = "Samtalen er avsluttet. Start en ny samtale ved å skrive en melding."
CODE_NOT_FOUND = (
    "Fant ingen åpen samtale med den koden. Sjekk at den er skrevet riktig. "
    "En kode kan bare brukes én gang."
)
TOO_MANY_CODE_TRIES = "For mange forsøk med feil kode. Vent noen minutter og prøv igjen."
NOT_RATEABLE = "Denne samtalen kan ikke vurderes nå."
NOTHING_TO_DELETE = "Det er ingen samtale å slette."
