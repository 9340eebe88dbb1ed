"""The controlled topic vocabulary shared by every municipality.

The NLU predicts these topics (its intent names are exactly these values); each municipality's
catalogue says which of its services cover which topic. That is how one trained model serves
every municipality.
"""

from enum import StrEnum


class Topic(StrEnum):
    SMALL_CHILDREN = "small-children"
    PREGNANCY = "pregnancy"
    SCHOOL_HEALTH = "school-health"
    SEXUAL_HEALTH = "sexual-health"
    LEARNING_SCHOOL = "learning-school"
    BULLYING = "bullying"
    MENTAL_HEALTH = "mental-health"
    SELF_HARM = "self-harm"
    EATING = "eating"
    CHILD_CARE_CONCERN = "child-care-concern"
    VIOLENCE_ABUSE = "violence-abuse"
    FAMILY_CONFLICT = "family-conflict"
    SEPARATION = "separation"
    MONEY_HOUSING = "money-housing"
    LEISURE_COSTS = "leisure-costs"
    LONELINESS_LEISURE = "loneliness-leisure"
    SUBSTANCES_GAMING = "substances-gaming"
    CRIME_PREVENTION = "crime-prevention"
    DISABILITY = "disability"
    ACUTE_ILLNESS = "acute-illness"
    YOUTH_RIGHTS = "youth-rights"


TOPIC_LABELS_NB: dict[Topic, str] = {
    Topic.SMALL_CHILDREN: "Helse og utvikling hos små barn",
    Topic.PREGNANCY: "Graviditet",
    Topic.SCHOOL_HEALTH: "Kropp og helse for skolebarn",
    Topic.SEXUAL_HEALTH: "Seksuell helse",
    Topic.LEARNING_SCHOOL: "Lærevansker og tilrettelegging på skolen",
    Topic.BULLYING: "Mobbing og skolemiljø",
    Topic.MENTAL_HEALTH: "Psykisk helse",
    Topic.SELF_HARM: "Selvskading",
    Topic.EATING: "Spiseproblemer",
    Topic.CHILD_CARE_CONCERN: "Bekymring for et barns omsorg",
    Topic.VIOLENCE_ABUSE: "Vold og overgrep",
    Topic.FAMILY_CONFLICT: "Konflikt hjemme og foreldrerollen",
    Topic.SEPARATION: "Samlivsbrudd og samarbeid om barn",
    Topic.MONEY_HOUSING: "Penger og bolig",
    Topic.LEISURE_COSTS: "Utgifter til fritid",
    Topic.LONELINESS_LEISURE: "Ensomhet og fritid",
    Topic.SUBSTANCES_GAMING: "Alkohol, rus og gaming",
    Topic.CRIME_PREVENTION: "Kriminalitet og forebygging",
    Topic.DISABILITY: "Funksjonsnedsettelse og kronisk sykdom",
    Topic.ACUTE_ILLNESS: "Akutt sykdom eller skade",
    Topic.YOUTH_RIGHTS: "Rettigheter og informasjon for unge",
}

TOPIC_LABELS_NN: dict[Topic, str] = {
    Topic.SMALL_CHILDREN: "Helse og utvikling hjå små born",
    Topic.PREGNANCY: "Graviditet",
    Topic.SCHOOL_HEALTH: "Kropp og helse for skuleborn",
    Topic.SEXUAL_HEALTH: "Seksuell helse",
    Topic.LEARNING_SCHOOL: "Lærevanskar og tilrettelegging på skulen",
    Topic.BULLYING: "Mobbing og skulemiljø",
    Topic.MENTAL_HEALTH: "Psykisk helse",
    Topic.SELF_HARM: "Sjølvskading",
    Topic.EATING: "Eteproblem",
    Topic.CHILD_CARE_CONCERN: "Uro for omsorga til eit barn",
    Topic.VIOLENCE_ABUSE: "Vald og overgrep",
    Topic.FAMILY_CONFLICT: "Konflikt heime og foreldrerolla",
    Topic.SEPARATION: "Samlivsbrot og samarbeid om born",
    Topic.MONEY_HOUSING: "Pengar og bustad",
    Topic.LEISURE_COSTS: "Utgifter til fritid",
    Topic.LONELINESS_LEISURE: "Einsemd og fritid",
    Topic.SUBSTANCES_GAMING: "Alkohol, rus og gaming",
    Topic.CRIME_PREVENTION: "Kriminalitet og førebygging",
    Topic.DISABILITY: "Funksjonsnedsetjing og kronisk sjukdom",
    Topic.ACUTE_ILLNESS: "Akutt sjukdom eller skade",
    Topic.YOUTH_RIGHTS: "Rettar og informasjon for unge",
}

TOPIC_LABELS_EN: dict[Topic, str] = {
    Topic.SMALL_CHILDREN: "Small children's health and development",
    Topic.PREGNANCY: "Pregnancy",
    Topic.SCHOOL_HEALTH: "Body and health for school children",
    Topic.SEXUAL_HEALTH: "Sexual health",
    Topic.LEARNING_SCHOOL: "Learning difficulties and support at school",
    Topic.BULLYING: "Bullying and school environment",
    Topic.MENTAL_HEALTH: "Mental health",
    Topic.SELF_HARM: "Self-harm",
    Topic.EATING: "Eating problems",
    Topic.CHILD_CARE_CONCERN: "Concern for a child's care",
    Topic.VIOLENCE_ABUSE: "Violence and abuse",
    Topic.FAMILY_CONFLICT: "Conflict at home and parenting",
    Topic.SEPARATION: "Separation and co-parenting",
    Topic.MONEY_HOUSING: "Money and housing",
    Topic.LEISURE_COSTS: "Leisure costs",
    Topic.LONELINESS_LEISURE: "Loneliness and leisure",
    Topic.SUBSTANCES_GAMING: "Alcohol, drugs and gaming",
    Topic.CRIME_PREVENTION: "Crime and its prevention",
    Topic.DISABILITY: "Disability and chronic illness",
    Topic.ACUTE_ILLNESS: "Acute illness or injury",
    Topic.YOUTH_RIGHTS: "Rights and information for young people",
}

_LABELS = {"nb": TOPIC_LABELS_NB, "nn": TOPIC_LABELS_NN, "en": TOPIC_LABELS_EN}


def topic_label(topic: Topic | str, language: str = "nb") -> str:
    """A topic's name for people, in `language` (nb, nn, en), Bokmål otherwise."""
    return _LABELS.get(language, TOPIC_LABELS_NB)[Topic(topic)]
