"""The printed pages of the replica tests: four stories in two rows, in Chinese and in English,
each written both as the site's article files and as the HTML page Chromium prints to a PDF."""

from __future__ import annotations

import textwrap

from conftest import Site

WIDTH, HEIGHT = 300, 420  # millimetres: a tabloid page

CHINESE = [
    {"key": "shuiku", "box": (14, 14, 176), "columns": 3, "kicker": "桐林县：",
     "title": "百年老水库换上“智慧大脑”", "subtitle": "雨情水情实时上屏 防汛调度缩短到十分钟",
     "byline": "本报记者 许承安 本报通讯员 柯一鸣",
     "paragraphs": [
         "入冬以来，桐林县青山水库管理站的值班室里多了一块大屏幕，库区二十六个监测点的水位、雨量和坝体位移数据每五分钟刷新一次。",
         "这座始建于上世纪五十年代的水库，过去靠人工巡坝、电话报汛，一次完整的调度要层层请示，往往耗费大半天。",
         "今年县里投入专项资金，为水库装上了自动监测站和视频探头，又把下游九个村的预警广播接进同一个平台。",
         "管理站站长告诉记者，汛期最紧张的时候，系统会自动比对上游来水和库容，提前给出泄洪建议，值班人员核对后一键下发。",
         "下一步，全县其余十一座小型水库也将接入平台，实现库区、河道和村庄的统一调度。"]},
    {"key": "shuhua", "box": (200, 14, 86), "columns": 1,
     "title": "乡村书画院办到家门口", "byline": "本报记者 闻秋",
     "paragraphs": [
         "周末的石桥镇文化站格外热闹，二十多名村民围坐在长桌前，跟着老师一笔一画临写楷书。",
         "镇上去年把闲置的粮站改造成书画院，请来县里的书法家定期授课，笔墨纸砚由文化站统一提供。",
         "如今书画院已有固定学员八十多人，年纪最大的七十六岁，最小的才上二年级。"]},
    {"key": "kuaidi", "box": (14, 212, 130), "columns": 2,
     "title": "快递进村“最后一公里”跑通了", "subtitle": "全市建成村级物流服务点一千二百个",
     "paragraphs": [
         "记者从市邮政管理局获悉，截至十一月底，全市已建成村级寄递物流综合服务点一千二百个，行政村覆盖率达到百分之九十八。",
         "服务点大多设在村里的超市和便民店，几家快递企业的包裹在这里集中收发，村民取件不用再跑到镇上。",
         "一些服务点还开通了农产品寄递业务，山里的板栗、蜂蜜和土鸡蛋从村口直接发往全国各地。",
         "市邮政管理局有关负责人表示，明年将重点推动服务点与电商平台对接，让更多农产品卖得出、卖得好。"]},
    {"key": "daoyuan", "box": (156, 212, 130), "columns": 2, "kicker": "寒潮来袭",
     "title": "城区供暖提前五天启动",
     "paragraphs": [
         "受强冷空气影响，本周我市气温将持续走低，部分地区最低气温跌破零下八摄氏度。",
         "市城管局决定，城区集中供暖比原定时间提前五天启动，各热源厂已完成点火升温，管网压力运行平稳。",
         "供热企业开通了二十四小时服务热线，维修人员分片值守，对室温不达标的住户做到当天上门、当天处置。",
         "市民如发现暖气不热、管道漏水等情况，可拨打供热服务热线反映。"]},
]

ENGLISH = [
    {"key": "bridge", "box": (14, 14, 176), "columns": 3, "kicker": "Valley transport",
     "title": "Old Mill Bridge reopens after two years of repairs",
     "subtitle": "New deck and footpaths cut the morning queue on Route 9",
     "byline": "By Martha Ellison",
     "paragraphs": [
         "The Old Mill Bridge reopened to traffic on Monday morning, ending a closure that had sent commuters on a twelve-mile detour since the spring before last.",
         "Engineers replaced the entire deck, strengthened the piers against winter floods and added a protected footpath on the downstream side.",
         "County officials said the work finished three weeks ahead of schedule and slightly under budget, thanks partly to a dry autumn.",
         "Shop owners on Mill Street, who had complained of falling trade during the closure, welcomed the return of passing customers.",
         "A ribbon-cutting ceremony is planned for Saturday, when the bridge will be closed to cars for a community walk."]},
    {"key": "library", "box": (200, 14, 86), "columns": 1,
     "title": "Library opens a tool shelf", "byline": "By Sam Okafor",
     "paragraphs": [
         "Residents can now borrow drills, ladders and garden tools with their library card at the Riverside branch.",
         "The collection began with donations from a retired carpenter and has grown to more than two hundred items.",
         "Librarians say the most popular loan so far is a carpet cleaner, booked solid until January."]},
    {"key": "school", "box": (14, 212, 130), "columns": 2,
     "title": "School board approves new science wing",
     "paragraphs": [
         "The school board voted five to two on Thursday to build a science wing at Valley High, the first major addition to the campus in thirty years.",
         "The plans include four laboratories, a greenhouse on the roof and a lecture room that will be open to adult evening classes.",
         "Opponents questioned the cost during a long public hearing, but most speakers urged the board to go ahead.",
         "Construction is expected to begin in the summer and finish before the autumn term of the following year."]},
    {"key": "frost", "box": (156, 212, 130), "columns": 2, "kicker": "Weather",
     "title": "Hard frost expected across the valley",
     "paragraphs": [
         "Forecasters warned of the first hard frost of the season this weekend, with temperatures falling well below freezing after midnight.",
         "Growers were advised to cover tender plants and to drain outdoor pipes before Friday evening.",
         "The county opened two warming centres for residents without reliable heating, at the community hall and the fire station.",
         "Milder weather should return by the middle of next week, bringing rain to the higher ground."]},
]


def article_text(story: dict, extra: str = "") -> str:
    """The story as the newsroom's article file."""
    front = [f"title: '{story['title']}'"]
    for name in ("kicker", "subtitle"):
        if story.get(name):
            front.append(f"{name}: '{story[name]}'")
    if story.get("byline"):
        front.append(f"byline: ['{story['byline']}']")
    front.append(extra.strip()) if extra.strip() else None
    return "---\n" + "\n".join(front) + "\n---\n\n" + "\n\n".join(story["paragraphs"]) + "\n"


def write_site(site: Site, stories: list[dict], language: str, pdf: bytes, extras: dict | None = None) -> None:
    """A site of one page whose page.yaml names only its PDF, with the stories as articles."""
    title = "测试日报" if language == "zh-CN" else "The Test Courier"
    # one derivative width below the page picture's own (2,362 pixels): a fifth of the five default
    # widths' encoding on every build (test_the_page_picture_is_drawn_from_the_pdf keeps the defaults)
    site.write("site.yaml", f"title: {title}\nlanguage: {language}\npictures:\n  widths: [480]\n")
    site.write("content/2026-12-01/01/page.yaml", textwrap.dedent("""\
        name: Front
        pdf: page.pdf
    """))
    site.write("content/2026-12-01/01/page.pdf", pdf)
    for story in stories:
        site.write(f"content/2026-12-01/01/{story['key']}.md", article_text(story, (extras or {}).get(story["key"], "")))
