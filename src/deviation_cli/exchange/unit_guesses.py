"""What a unit's name says about it: its kind and administrative level, guessed for ``deviation init``.

Chinese unit names end in what they are (区发改局 a bureau, 东关街道 a
township, 张三副区长 a leader) and most begin with the level of government
they belong to (区, 县, 市). These rules read that; what they cannot read is
``other`` and is flagged for a person to confirm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..domain.register import OPEN_TAIL_PREFIX

#: The characters that name a level of government at the start of a name or the end of a place.
ADMIN_LEVELS = "省市州盟区县旗"
#: Starts of names that begin with a level's character without being of that level (市场监管局).
_NOT_A_LEVEL = ("市场", "市政", "区域", "县域", "省级", "市级", "区级", "县级")

_LEADER = re.compile(r"(?:书记|[省市州区县镇乡]长|主任|主席|部长|局长|秘书长|院长|政委|常委|同志|巡视员|调研员)$")
_ZONE = re.compile(
    r"管委会|管理委员会|开发区|高新区|新区|园区|产业园|示范区|保税区|试验区|经开区|工业园|合作区|度假区|景区|综保区"
)
_TOWNSHIP = re.compile(r"(?:街道办事处|街道办|街道|镇人民政府|乡人民政府|镇政府|乡政府|镇|乡|苏木)$")
_COUNTY = re.compile(rf"^[\u4e00-\u9fff]{{1,8}}[{ADMIN_LEVELS}](?:人民政府|政府)?$")
_COMPANY = re.compile(r"公司|集团|银行|有限|股份|电信|移动|联通")
_DEPARTMENT = re.compile(
    r"(?:局|委|办|部|厅|委员会|办公室|署|处|科|政府|党委|人大|政协|工委|总工会|团委|妇联|科协|工商联|残联|红十字会|"
    r"法院|检察院|监委|大队|支队|中队)$"
)
_INSTITUTION = re.compile(r"(?:中心|站|所|院|学校|学院|医院|馆|协会|学会|研究会|台|社|党校|校)$")

#: Group words: 各街道 stands for itself; 各相关单位, 区直有关部门 stand for "others of this kind".
_OPEN_GROUP = re.compile(r"有关|相关|其他|其它|直各|各部门|各单位|成员单位|责任单位")
_GROUP = re.compile(r"^各.|直各|有关|相关|成员单位")


@dataclass(frozen=True)
class UnitGuess:
    kind: str  # a UnitKind
    level: str | None  # the level its name starts with (区 of 区发改局), where it says one


def guess_unit(name: str, leader: bool = False) -> UnitGuess:
    """The kind and level a unit's name suggests: 区发改局 → department of 区, 东关街道 → township.

    ``leader``: the name stands where the plan names leaders (a 牵头领导 column).
    """
    if leader or _LEADER.search(name):
        return UnitGuess("leader", None)
    if "人民银行" in name:  # a bank by name, a government body by office
        kind = "department"
    elif _ZONE.search(name):
        kind = "zone"
    elif _TOWNSHIP.search(name):
        return UnitGuess("township", None)
    elif _COMPANY.search(name):
        kind = "company"
    elif _DEPARTMENT.search(name):
        kind = "department"
    elif _INSTITUTION.search(name):
        kind = "institution"
    elif _COUNTY.match(name) and name[0] not in ADMIN_LEVELS:
        return UnitGuess("county", None)
    else:
        kind = "other"
    return UnitGuess(kind, level_of(name))


def level_of(name: str) -> str | None:
    """The level of government a name starts with: 区 of 区发改局; None for 市场监管局 or 张三."""
    if len(name) > 1 and name[0] in ADMIN_LEVELS and not name.startswith(_NOT_A_LEVEL):
        return name[0]
    return None


def is_group(name: str) -> bool:
    """Whether a name stands for several units: 各街道, 区直有关部门, 等相关单位."""
    return name.startswith(OPEN_TAIL_PREFIX) or bool(_GROUP.search(name))


def group_open_to(name: str) -> tuple[str, ...]:
    """The kinds an open group stands for (各相关单位 → departments, institutions); () for a group standing for itself.

    A name with 各 and no word of openness (各街道, 各镇) is a group whose members
    the plan does not list: it answers for itself.
    """
    bare = name.removeprefix(OPEN_TAIL_PREFIX)
    if not name.startswith(OPEN_TAIL_PREFIX) and not _OPEN_GROUP.search(bare):
        return ()
    kinds: list[str] = []
    if re.search(r"街道|镇|乡", bare):
        kinds.append("township")
    if re.search(r"县区|区县|县\(市|县市区|各县|各区", bare):
        kinds.append("county")
    if re.search(r"园区|开发区|管委会", bare):
        kinds.append("zone")
    if re.search(r"企业|公司", bare):
        kinds.append("company")
    if "部门" in bare:
        kinds.append("department")
    if "单位" in bare or not kinds:
        kinds += [kind for kind in ("department", "institution") if kind not in kinds]
    return tuple(kinds)


#: A place at the start of an issuer or title, up to its last level character: 汉中市汉台区 of 汉中市汉台区2023年….
_PLACE = re.compile(rf"^(?P<place>[\u4e00-\u9fff]{{1,12}}[{ADMIN_LEVELS}])(?=人民政府|政府|委员会|党委|\d|关于)")


def plan_level(issuer: str | None, title: str | None) -> str | None:
    """The level of the government whose plan it is: 区 for 某区人民政府办公室 or 某区2023年….

    The issuer says it best; else the place the title starts with.
    """
    for text in (issuer, title):
        if not text:
            continue
        match = _PLACE.match(text)
        if match:
            return match.group("place")[-1]
    return None
