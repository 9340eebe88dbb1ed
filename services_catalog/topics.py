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
