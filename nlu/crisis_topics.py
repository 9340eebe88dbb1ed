"""Which catalogue topic a detected crisis points to, for when the classifier has no topic.

Topic names are the catalogue's vocabulary (services_catalog.topics.Topic values), written out
here because `nlu` must not import the catalogue.
"""

from nlu.interpretation import Crisis, CrisisKind

CRISIS_TOPICS: dict[CrisisKind, str] = {
    CrisisKind.SUICIDE: "mental-health",
    CrisisKind.DISTRESS: "mental-health",
    CrisisKind.SELF_HARM: "self-harm",
    CrisisKind.VIOLENCE_NOW: "violence-abuse",
    CrisisKind.ABUSE: "violence-abuse",
    CrisisKind.CHILD_IN_DANGER: "child-care-concern",
    CrisisKind.OVERDOSE: "acute-illness",
    CrisisKind.MEDICAL: "acute-illness",
}


def topic_for_crisis(crisis: Crisis) -> str | None:
    """The topic of the most severe kind (kinds come most severe first)."""
    return CRISIS_TOPICS.get(crisis.kinds[0]) if crisis.kinds else None
