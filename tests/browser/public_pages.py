"""Every public page of issue 6, reached the way a constituent reaches it.

`public_site` builds a small station: deputies on every level with portraits and long
posts, a site, a concern filed by 陈西荣 (13812345678) and one resolved and waiting for
her rating. `open_public_page(page, base, records, name)` opens one page in a Playwright
page, doing first what the constituent would have done (filing the form for the receipt,
typing the last four digits for the unlocked tracking page) and returns the HTTP status.
"""

import pytest
from django.core.files.base import ContentFile

from deputies.models import Deputy
from deputies.portraits import portrait_jpeg
from deputies.services import public_record_save
from petitions import workflow
from petitions.models import Concern
from petitions.services import concern_assign, concern_resolve
from tests.browser.conftest import backdate_concern_forms
from tests.factories import CategoryFactory, ConcernFactory, DeputyFactory, SiteFactory, UnitFactory, VillageFactory

# The old phone of issue 6: a 360x640 CSS px screen.
OLD_PHONE = {
    "viewport": {"width": 360, "height": 640},
    "is_mobile": True,
    "has_touch": True,
    "device_scale_factor": 2,
    "locale": "zh-CN",
}
PAGES = [
    "portal", "directory", "deputy", "site", "concern form", "receipt",
    "tracking locked", "tracking unlocked", "rating form", "not found", "suggestions", "suggestion",
]
NAMES = ["吴立新", "王智慧", "单雄信", "曾国藩", "欧阳明月", "仇英", "李安", "陈秀英", "朱晓燕", "周海燕"]
LONG_POST = "仙居县白塔镇白塔村党支部书记、村民委员会主任、白塔镇葡萄产业协会副会长"


def _with_portrait(deputy: Deputy, seed: int) -> Deputy:
    deputy.photo.save(f"p{seed}.jpg", ContentFile(portrait_jpeg(deputy.name, seed=seed)), save=False)
    return public_record_save(record=deputy)


@pytest.fixture
def public_site(db):
    site = SiteFactory(name="白塔镇人大代表联络站", kind="station", address="白塔镇人民政府一楼",
                       opening_hours="周一至周五 8:30–17:00；每月7日、21日代表坐班",
                       description="群众有事找代表，代表联络站全天候受理社情民意。")
    village = VillageFactory(name="白塔村")
    levels = [Deputy.Level.CITY, Deputy.Level.COUNTY, Deputy.Level.COUNTY] + [Deputy.Level.TOWNSHIP] * 7
    profile = {
        "post": LONG_POST, "organisation": "仙居县白塔镇白塔村村民委员会", "term": "白塔镇第十八届人大代表",
        "biography": "扎根基层二十年，带领村民发展葡萄产业。\n每月7日、21日在联络站接待选民。",
        "office_phone": "0576-87790001", "site": site, "village": village,
    }
    deputies = [
        _with_portrait(DeputyFactory.build(name=name, level=level, mobile=f"1390000{number:04d}", **profile), number)
        for number, (name, level) in enumerate(zip(NAMES, levels))
    ]
    deputy = deputies[1]
    unit = UnitFactory(name="白塔村驻村干部组")
    category = CategoryFactory(name="环境卫生", default_unit=unit)
    filed = ConcernFactory(deputy=deputy, category=category, mobile="13812345678", name="陈西荣",
                           content="家门口葡萄园堆放的枝叶和垃圾长期无人清理，夏天蚊蝇多，影响全家生活。")
    resolved = ConcernFactory(deputy=deputy, category=category, mobile="13812345678", name="陈西荣",
                              content="村口窨井盖下沉破损，晚上骑电瓶车很危险。")
    resolved = concern_assign(concern=resolved, unit=unit, actor=None, role=workflow.STAFF)
    resolved = concern_resolve(concern=resolved, result="窨井盖已更换，路面已修复平整。",
                               outcome=Concern.Outcome.FIXED, actor=None, role=workflow.HANDLER)
    suggestion = _public_suggestion(deputy=deputy, cosigner=deputies[2], unit=unit, concern=filed)
    yield {"deputy": deputy, "site": site, "category": category, "filed": filed, "resolved": resolved,
           "suggestion": suggestion}


def _public_suggestion(*, deputy, cosigner, unit, concern):
    """A suggestion grown from 陈西荣's concern, co-signed, answered in an adopted category and rated: public."""
    from petitions import suggestion_services as services
    from petitions import suggestion_workflow as flow

    suggestion = services.suggestion_create(
        deputy=deputy, title="关于白塔村葡萄园周边环境卫生整治的建议", concerns=[concern], cosigners=[cosigner],
        content="白塔村葡萄园周边枝叶和垃圾长期堆放，群众反映强烈。建议镇里统一设置收集点，定期清运，"
                "并将葡萄园环境卫生纳入村规民约。")
    services.suggestion_cosign(suggestion=suggestion, deputy=cosigner)
    category = services.answer_categories(township=deputy.township).get(code="A")
    for action, role, extra in [
        ("submit", flow.DEPUTY, {}), ("assign", flow.STAFF, {"lead_unit": unit}), ("accept", flow.HANDLER, {}),
        ("answer", flow.HANDLER, {"answer": "已在白塔村设置三处枝叶垃圾收集点，每周清运两次，并纳入村规民约。",
                                  "answer_category": category}),
        ("rate_satisfied", flow.DEPUTY, {}),
    ]:
        suggestion = services.suggestion_transition(suggestion=suggestion, action=action, role=role, **extra)
    return suggestion


def _verify(page, base: str, concern: Concern) -> int:
    page.goto(f"{base}/t/{concern.tracking}/")
    page.fill("#verify-form input[name=last4]", "5678")
    with page.expect_navigation():
        page.click("#verify-form button[type=submit]")
    return page.goto(f"{base}/t/{concern.tracking}/").status


def _file(page, base: str, records: dict) -> int:
    backdate_concern_forms(page)
    page.goto(f"{base}/d/{records['deputy'].code}/concern/")
    page.fill("input[name=name]", "陈西荣")
    page.fill("input[name=mobile]", "13812345678")
    page.select_option("select[name=category]", str(records["category"].pk))
    page.fill("textarea[name=content]", "村口路灯坏了三盏，晚上出行不便，老人走路容易摔倒。")
    with page.expect_navigation():
        page.locator("#main form button[type=submit]").click()
    assert page.url.endswith("/receipt/"), page.url
    return page.goto(page.url).status


def open_public_page(page, base: str, records: dict, name: str) -> int:
    paths = {
        "portal": "/",
        "directory": "/d/",
        "deputy": f"/d/{records['deputy'].code}/",
        "site": f"/s/{records['site'].code}/",
        "concern form": f"/d/{records['deputy'].code}/concern/",
        "tracking locked": f"/t/{records['filed'].tracking}/",
        "not found": "/d/nosuch1/",
        "suggestions": "/suggestions/",
        "suggestion": f"/suggestions/{records['suggestion'].code}/",
    }
    if name in paths:
        return page.goto(base + paths[name]).status
    if name == "receipt":
        return _file(page, base, records)
    if name == "tracking unlocked":
        return _verify(page, base, records["filed"])
    if name == "rating form":
        status = _verify(page, base, records["resolved"])
        assert page.locator("#rate-form").count() == 1
        return status
    raise ValueError(name)


# Visible text nodes: their element's font size, and whether a box around them cuts them off.
_TEXT_REPORT = """() => {
  const clipped = [], small = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim()) continue;
    const element = node.parentElement;
    const range = document.createRange(); range.selectNodeContents(node);
    const box = range.getBoundingClientRect();
    // Not rendered: hidden, or inside a closed <details> (whose boxes Chromium still lays out).
    if (box.width === 0 || box.height === 0 || !element.checkVisibility()) continue;
    if (element.closest('.visually-hidden, .visually-hidden-focusable')) continue;
    const size = parseFloat(getComputedStyle(element).fontSize);
    if (size < SMALLEST) small.push(`${size}px: ${node.textContent.trim().slice(0, 30)}`);
    // Cut off by an ancestor that hides its overflow, or running past the screen's right edge.
    for (let box_owner = element; box_owner && box_owner !== document.body; box_owner = box_owner.parentElement) {
      const style = getComputedStyle(box_owner);
      if (['hidden', 'clip'].includes(style.overflowX) || ['hidden', 'clip'].includes(style.overflowY)) {
        const outer = box_owner.getBoundingClientRect();
        if (box.right > outer.right + 1 || box.bottom > outer.bottom + 1 || box.left < outer.left - 1) {
          clipped.push(`${node.textContent.trim().slice(0, 30)} (in ${box_owner.tagName.toLowerCase()}.${box_owner.className})`);
        }
        break;
      }
    }
    if (box.right > window.innerWidth + 1) clipped.push(`${node.textContent.trim().slice(0, 30)} runs off the screen`);
  }
  // A select shows its chosen option on one line, cut off where the box ends.
  const canvas = document.createElement('canvas').getContext('2d');
  for (const select of document.querySelectorAll('select')) {
    if (!select.checkVisibility() || select.selectedIndex < 0) continue;
    const style = getComputedStyle(select);
    canvas.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
    const text = select.options[select.selectedIndex].text;
    const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    if (canvas.measureText(text).width > room + 1) clipped.push(`${text} (cut off in its select)`);
  }
  return {clipped, small};
}"""


def text_report(page, smallest_px: float) -> dict:
    return page.evaluate(_TEXT_REPORT.replace("SMALLEST", str(smallest_px)))
