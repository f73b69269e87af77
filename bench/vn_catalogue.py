"""A generated Vietnamese DCAT-AP catalogue (Turtle), for the parse and harvest benches.

By default Đà Nẵng's (province 48); ``province`` gives another province's catalogue
(its code and name in titles, dct:spatial and the publisher), so that the national
benchmark's 34 catalogues hold datasets that differ by more than their URIs."""

from __future__ import annotations

import random

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vndata: <https://w3id.org/vndata/ns#> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .
"""
SECTORS = ["giao-duc-dao-tao", "y-te", "moi-truong", "co-so-ha-tang", "xa-hoi"]
TOPICS = ["trường học", "bệnh viện", "giá đất", "quan trắc không khí", "xe buýt"]


DA_NANG = ("48", "thành phố Đà Nẵng")


def dataset_ttl(
    n: int, base: str, rng: random.Random, province: tuple[str, str] = DA_NANG
) -> str:
    code, place = province
    sector = SECTORS[n % len(SECTORS)]
    topic = TOPICS[n % len(TOPICS)]
    uri = f"{base}/dataset/{n}"
    return f"""
<{base}/catalog> dcat:dataset <{uri}> .
<{uri}> a dcat:Dataset ;
    dct:identifier "vn-{n}" ;
    dct:title "Danh sách {topic} {place} số {n}"@vi , "Dataset {n}"@en ;
    dct:description "Dữ liệu {topic} do cơ quan nhà nước công bố."@vi ;
    dcat:keyword "dữ liệu mở"@vi , "{topic}"@vi ;
    dct:issued "2025-0{1 + n % 9}-1{n % 10}"^^xsd:date ;
    dct:modified "2025-10-0{1 + n % 9}"^^xsd:date ;
    dct:language eu:language\\/VIE ;
    dct:accrualPeriodicity eu:frequency\\/ANNUAL ;
    dcat:theme vndata:sector-{sector} ;
    dct:spatial vndata:province-{code} ;
    dct:publisher <{base}/agency/so-khcn> ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Phòng CNTT"@vi ;
                        vcard:hasEmail <mailto:opendata@danang.gov.vn> ] ;
    vndata:dataSharingClass vndata:sharing-mo ;
    vndata:dataImportanceClass vndata:importance-khac ;
    vndata:personalDataAssessed true ;
    dcat:distribution <{uri}/csv> .
<{uri}/csv> a dcat:Distribution ;
    dct:title "Tệp CSV"@vi ;
    dcat:accessURL <{base}/files/{n}.csv> ;
    dct:format eu:file-type\\/CSV ;
    dcat:byteSize "{rng.randint(1000, 90000)}"^^xsd:nonNegativeInteger .
"""


def catalogue(
    count: int, base: str = "https://data.danang.gov.vn", seed: int = 1
) -> str:
    rng = random.Random(seed)
    head = f"""{PREFIXES}
<{base}/catalog> a dcat:Catalog ;
    dct:title "Cổng dữ liệu mở Đà Nẵng"@vi ;
    dct:description "Danh mục dữ liệu mở thành phố Đà Nẵng"@vi ;
    dct:publisher <{base}/agency/so-khcn> .
<{base}/agency/so-khcn> a foaf:Agent ;
    foaf:name "Sở Khoa học và Công nghệ thành phố Đà Nẵng"@vi ;
    dct:identifier "H17.14" .
"""
    return head + "".join(dataset_ttl(n, base, rng) for n in range(count))


def pages(
    count: int,
    per_page: int,
    base: str,
    page_url: str,
    province: tuple[str, str] = DA_NANG,
    first: int = 0,
) -> dict[int, str]:
    """The catalogue split into hydra pages; ``page_url`` formats a page number.

    Datasets are numbered from ``first``: catalogues numbered apart hold no two datasets
    of the same title."""
    rng = random.Random(1)
    publisher = f"Sở Khoa học và Công nghệ {province[1]}"
    total = (count + per_page - 1) // per_page
    result = {}
    for page in range(1, total + 1):
        body = f"{PREFIXES}@prefix hydra: <http://www.w3.org/ns/hydra/core#> .\n"
        body += f"""<{base}/catalog> a dcat:Catalog ;
    dct:title "Cổng dữ liệu mở {province[1]}"@vi ;
    dct:publisher <{base}/agency/so-khcn> .
<{base}/agency/so-khcn> a foaf:Agent ;
    foaf:name "{publisher}"@vi ;
    dct:identifier "H17.14" .
<{page_url.format(page)}> a hydra:PagedCollection ;
    hydra:totalItems {count} ; hydra:itemsPerPage {per_page} .
"""
        here, following = page_url.format(page), page_url.format(page + 1)
        if page < total:
            body += f'<{here}> hydra:next "{following}" .\n'
        numbers = range((page - 1) * per_page, min(page * per_page, count))
        body += "".join(dataset_ttl(first + n, base, rng, province) for n in numbers)
        result[page] = body
    return result
