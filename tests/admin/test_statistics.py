"""Statistics over HTTP from a known set of anonymous aggregates: exact counts, median and 90th
percentile waiting time, unmet needs per topic, the CSV, the period in Oslo days, roles."""

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime

import httpx
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from admin.database import create_session_factory, unit_of_work
from admin.staff.models import Role
from admin.statistics.figures import nearest_rank, waiting_times
from bot.models import Channel, Conversation, ConversationStat, Message, Outcome, Sender
from nlu.interpretation import CrisisLevel
from tests.admin.catalogue_factories import fix_clock
from tests.admin.staff_factories import add_staff, log_in

WEB, TG = Channel.WEB, Channel.TELEGRAM
NONE, CONCERN, ACUTE = CrisisLevel.NONE, CrisisLevel.CONCERN, CrisisLevel.ACUTE
OUT = Outcome
# day, channel, topics, suggested, unmet, crisis, handoff, waited, outcome, rating, helpful
KNOWN = [
    ("03-01", WEB, ["mental-health", "bullying"], ["psykisk-helse-barn-unge", "skole-og-mobbing"],
     [], NONE, False, None, None, None, True),
    ("03-01", TG, ["mental-health"], ["psykisk-helse-barn-unge"], [], CONCERN, True, 10,
     OUT.ADVICE_GIVEN, 5, None),
    ("03-02", WEB, ["money-housing"], [], ["money-housing"], NONE, True, 20, OUT.REFERRED, 4, None),
    ("03-02", WEB, ["leisure-costs", "money-housing"], ["fritidsstipend"], ["money-housing"],
     NONE, True, 30, OUT.REFERRED, 4, None),
    ("03-03", TG, ["self-harm"], ["alarmtelefonen"], [], ACUTE, True, 40,
     OUT.EMERGENCY_CONTACTED, None, None),
    ("03-04", WEB, ["loneliness-leisure"], [], ["loneliness-leisure"], NONE, True, 50,
     OUT.NO_FURTHER_NEED, 3, None),
    ("03-05", WEB, [], [], [], NONE, True, 60, OUT.USER_LEFT, None, None),
    ("03-05", WEB, ["mental-health"], ["psykisk-helse-barn-unge"], [], CONCERN, True, 70,
     OUT.ADVICE_GIVEN, 2, None),
    ("03-06", WEB, ["bullying"], ["skole-og-mobbing"], [], NONE, True, 80, OUT.REFERRED, 5, None),
    ("03-07", TG, ["family-conflict"], ["familievern"], [], NONE, True, 90, OUT.ADVICE_GIVEN, 1,
     None),
    ("03-07", WEB, ["family-conflict"], ["familievern"], [], NONE, True, 1000, OUT.USER_LEFT, None,
     None),
    ("03-07", WEB, ["mental-health"], [], ["mental-health"], NONE, False, None, None, None, False),
    # Outside 1-7 March; inside the default 30 days and (03-08) the card's last 7 days.
    ("02-28", WEB, ["mental-health"], [], ["mental-health"], NONE, False, None, None, None, None),
    ("03-08", WEB, ["bullying"], [], [], NONE, False, None, None, None, None),
]  # fmt: skip
WEEK = {"fra": "2026-03-01", "til": "2026-03-07"}
SECRET_TEXT = "Pappa slår meg når han drikker"


async def add_known_stats(engine: AsyncEngine) -> None:
    async with unit_of_work(create_session_factory(engine)) as session:
        for (
            day,
            channel,
            topics,
            suggested,
            unmet,
            crisis,
            handoff,
            waited,
            outcome,
            rating,
            helpful,
        ) in KNOWN:
            session.add(
                ConversationStat(
                    day=date.fromisoformat(f"2026-{day}"),
                    channel=channel,
                    language="nb",
                    topic=topics[0] if topics else None,
                    topics=topics,
                    services_suggested=suggested,
                    unmet_topics=unmet,
                    user_messages=3,
                    crisis_level=crisis,
                    helpful=helpful,
                    handoff_requested=handoff,
                    waited_seconds=waited,
                    outcome=outcome,
                    rating=rating,
                    deleted_by_user=False,
                )
            )


async def add_conversation_with_text(engine: AsyncEngine) -> None:
    at = datetime(2026, 3, 5, 12, tzinfo=UTC)
    async with unit_of_work(create_session_factory(engine)) as session:
        conversation = Conversation(
            id=uuid.uuid4(), user_key="a" * 64, channel=WEB, created_at=at, last_activity_at=at
        )
        session.add(conversation)
        await session.flush()
        session.add(
            Message(
                conversation_id=conversation.id,
                sender=Sender.USER,
                text=SECRET_TEXT,
                created_at=at,
                delivery="received",
            )
        )


async def staff_client(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient, role: Role = Role.VEILEDER
) -> None:
    await add_staff(engine, f"ansatt-{role.value}", role)
    await log_in(client, f"ansatt-{role.value}")


def figure(page: str, element_id: str) -> str:
    match = re.search(rf'id="{element_id}">([^<]*)<', page)
    assert match, element_id
    return match.group(1).strip()


def table(page: str, element_id: str) -> list[tuple[str, str]]:
    """(row header, last cell) of each body row of the table with `element_id`."""
    body = page.split(f'id="{element_id}"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r'<th scope="row">([^<]*)</th>(?:<td>[^<]*</td>)*?<td>([^<]*)</td></tr>', body
    )
    return [(header.strip(), cell.strip()) for header, cell in rows]


def csv_figures(text: str) -> dict[tuple[str, str], str]:
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0] == ["seksjon", "nøkkel", "verdi"]
    return {(section, key): value for section, key, value in rows[1:]}


def test_median_and_90th_percentile_by_nearest_rank() -> None:
    assert waiting_times([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000]).median == 55
    assert nearest_rank([10, 20, 30, 40, 50, 60, 70, 80, 90, 1000], 0.9) == 90
    assert nearest_rank([5], 0.9) == 5 and nearest_rank([], 0.9) is None
    assert waiting_times([30, 10, 20]) == waiting_times([10, 20, 30])
    assert waiting_times([10, 20, 30]).median == 20 and waiting_times([10, 20, 30]).p90 == 30


async def test_the_page_shows_exact_figures_for_a_known_week(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app)
    await add_known_stats(engine)
    await staff_client(app, engine, client)
    page = (await client.get("/admin/statistics", params=WEEK)).text
    assert figure(page, "tall-samtaler") == "12"
    assert figure(page, "tall-overforing") == "83 %"
    assert figure(page, "tall-median") == "55 s"
    assert figure(page, "tall-p90") == "1 min 30 s"
    assert figure(page, "tall-krise") == "3"
    assert figure(page, "tall-snitt") == "3,4"
    assert table(page, "tabell-udekket") == [
        ("Penger og bolig", "2"),
        ("Ensomhet og fritid", "1"),
        ("Psykisk helse", "1"),
    ]
    assert table(page, "tabell-tema")[:4] == [
        ("Psykisk helse", "4"),
        ("Mobbing og skolemiljø", "2"),
        ("Konflikt hjemme og foreldrerollen", "2"),
        ("Penger og bolig", "2"),
    ]
    per_day = table(page, "tabell-per-dag")
    assert [total for _, total in per_day] == ["2", "2", "1", "1", "2", "1", "3"]
    assert per_day[-1][0] == "07.03.2026"
    assert table(page, "tabell-vurdering") == [("1", "1"), ("2", "1"), ("3", "1"), ("4", "2"),
                                               ("5", "2")]  # fmt: skip
    assert ("Bekymring", "2") in table(page, "tabell-krise")
    assert ("Akutt", "1") in table(page, "tabell-krise")
    assert ("Brukeren gikk", "2") in table(page, "tabell-utfall")


async def test_the_charts_are_inline_svg_with_title_desc_and_one_bar_per_count(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app)
    await add_known_stats(engine)
    await staff_client(app, engine, client)
    page = (await client.get("/admin/statistics", params=WEEK)).text
    assert page.count("<svg ") == 2 and "<script" not in page.split("<main", 1)[1]
    assert (
        '<title id="per-dag-svg-tittel">' in page and '<desc id="per-dag-svg-beskrivelse">' in page
    )
    assert page.count('class="bar-web"') == 6  # days with web conversations
    assert page.count('class="bar-telegram"') == 3
    assert page.count('class="bar-topic"') == 7  # every topic seen, at most ten
    assert "<title>07.03: 2 (web)</title>" in page


async def test_the_csv_holds_the_same_exact_figures(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app)
    await add_known_stats(engine)
    await staff_client(app, engine, client, Role.REDAKTOR)
    response = await client.get("/admin/statistics.csv", params=WEEK)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "statistikk-2026-03-01-2026-03-07.csv" in response.headers["content-disposition"]
    found = csv_figures(response.text)
    expected = {
        ("samtaler", "totalt"): "12",
        ("samtaler_per_dag", "2026-03-07"): "3",
        ("samtaler_per_dag_og_kanal", "2026-03-07 telegram"): "1",
        ("kanal", "web"): "9",
        ("kanal", "telegram"): "3",
        ("tema", "mental-health"): "4",
        ("foreslatt_tjeneste", "psykisk-helse-barn-unge"): "3",
        ("udekket_behov", "money-housing"): "2",
        ("udekket_behov", "loneliness-leisure"): "1",
        ("udekket_behov", "mental-health"): "1",
        ("krise", "concern"): "2",
        ("krise", "acute"): "1",
        ("overforing_til_ansatt", "antall"): "10",
        ("overforing_til_ansatt", "andel"): "0,8333",
        ("ventetid_sekunder", "antall"): "10",
        ("ventetid_sekunder", "median"): "55,0",
        ("ventetid_sekunder", "p90"): "90",
        ("utfall", "advice_given"): "3",
        ("utfall", "referred"): "3",
        ("utfall", "emergency_contacted"): "1",
        ("vurdering", "antall"): "7",
        ("vurdering", "snitt"): "3,43",
        ("vurdering", "4"): "2",
        ("hjalp_dette", "ja"): "1",
        ("hjalp_dette", "nei"): "1",
    }
    assert {key: found.get(key) for key in expected} == expected
    assert len([key for key in found if key[0] == "udekket_behov"]) == 3
    assert ("samtaler_per_dag", "2026-02-28") not in found


async def test_the_default_period_is_the_last_30_oslo_days(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app, datetime(2026, 3, 9, 23, 30, tzinfo=UTC))  # 00:30 on 10 March in Oslo
    await add_known_stats(engine)
    await staff_client(app, engine, client)
    page = (await client.get("/admin/statistics")).text
    assert 'name="fra" value="2026-02-09"' in page and 'name="til" value="2026-03-10"' in page
    assert figure(page, "tall-samtaler") == "14"
    card = (await client.get("/admin/statistics/card")).text
    assert re.findall(r'<strong class="figure">([^<]*)</strong>', card) == ["8", "75 %"]


async def test_unusable_dates_fall_back_to_the_default_with_a_message(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app)
    await staff_client(app, engine, client)
    for params in ({"fra": "2026-03-07", "til": "2026-03-01"}, {"fra": "i går"}):
        response = await client.get("/admin/statistics", params=params)
        assert response.status_code == 400
        assert 'role="alert"' in response.text and 'name="til" value="2026-03-10"' in response.text


async def test_statistics_never_show_what_users_wrote(
    app: FastAPI, engine: AsyncEngine, client: httpx.AsyncClient
) -> None:
    fix_clock(app)
    await add_known_stats(engine)
    await add_conversation_with_text(engine)
    await staff_client(app, engine, client, Role.ADMIN)
    page = await client.get("/admin/statistics", params=WEEK)
    export = await client.get("/admin/statistics.csv", params=WEEK)
    for text in (page.text, export.text):
        assert SECRET_TEXT not in text and "a" * 64 not in text


async def test_every_staff_role_sees_statistics_and_the_dashboard_card(
    app: FastAPI, engine: AsyncEngine
) -> None:
    fix_clock(app)
    transport = httpx.ASGITransport(app=app)
    for role in Role:
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1:8000") as web:
            await staff_client(app, engine, web, role)
            assert (await web.get("/admin/statistics")).status_code == 200, role
            dashboard = (await web.get("/admin/")).text
            assert 'hx-get="/admin/statistics/card"' in dashboard, role
