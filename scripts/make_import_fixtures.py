#!/usr/bin/env python3
"""Write the exports `glyph import` reads, tests/fixtures/import/.

    pip install Pillow && python3 scripts/make_import_fixtures.py

Instagram exports in three layouts (a 2025 folder, a 2021 .zip, a 2024 folder whose
posts_1.json is a single object) and a WordPress export (WXR 1.2) with its uploads
folder, one upload deliberately missing. The photos are the small real ones of
tests/fixtures/photos (and one of tests/fixtures/similar), copied; one is
Landscape_1.jpg re-encoded smaller (1080 px
wide, quality 70), as Instagram does, for the near-duplicate case. Videos are a few
fake mp4 bytes. Every string is written as Instagram writes it: the UTF-8 bytes as
\\u00XX escapes (mojibake). Deterministic: fixed zip dates and orders; the resized copy
depends only on the Pillow version. Overwrites only tests/fixtures/import/ and prints
each path it writes.
"""

import io
import json
import shutil
import zipfile
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
PHOTOS = ROOT / "tests/fixtures/photos"
OUT = ROOT / "tests/fixtures/import"

# An ISO media header with an mp4 brand: enough for a sniffer, not a playable video.
FAKE_MP4 = b"\0\0\0\x18ftypmp42\0\0\0\0mp42isom" + b"\0\0\0\x08free"

CAPTIONS = {
    "simons": "Simons (Square One) – Mississauga, Canada. #toiletsign #pictogram",
    "cafe": "Café Central — Wien, Österreich 🇦🇹 Die #Damen links, die Herren rechts. @cafecentralwien",
    "pinotxo": "Bar Pinotxo - Barcelona, España. *Senyores* i _senyors_ #barcelona #wc",
    "harpa": "Harpa, Reykjavík, Ísland\n\nSigns in the concert hall. #iceland #restroom",
    "oro": "Museo del Oro – Bogotá, Colombia 🇨🇴 @museodeloro #pictogram",
    "mexico": "Ciudad de México, México #cdmx #baños",
    "shibuya": "渋谷駅 – 東京, 日本 #トイレ #pictogram",
    "taxi": "Un Taxi 🇨🇴 #bogota",
    "sundholl": "Sundhöll Reykjavíkur – Reykjavík, Ísland.\nKarlar til vinstri, konur til hægri. #sundlaug #ísland",
}


def mojibake(value):
    """Instagram's encoding: every string's UTF-8 bytes as Latin-1 characters, which
    json.dumps (ensure_ascii) then writes as \\u00XX."""
    if isinstance(value, str):
        return value.encode("utf-8").decode("latin-1")
    if isinstance(value, list):
        return [mojibake(v) for v in value]
    if isinstance(value, dict):
        return {k: mojibake(v) for k, v in value.items()}
    return value


def ig_json(value):
    return json.dumps(mojibake(value), indent=2, ensure_ascii=True).encode() + b"\n"


def write(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(path.relative_to(ROOT))


def photo(name, folder=PHOTOS):
    return (folder / name).read_bytes()


def smaller_landscape():
    """Landscape_1.jpg as Instagram would serve it back: 1080 px wide, quality 70."""
    im = Image.open(PHOTOS / "Landscape_1.jpg")
    im = im.resize((1080, round(im.height * 1080 / im.width)), Image.LANCZOS)
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def media(uri, ts, title="", exif=None, video=False):
    m = {"uri": uri, "creation_timestamp": ts, "title": title}
    if video:
        m["media_metadata"] = {"video_metadata": {"exif_data": [{}]}}
    elif exif is not None:
        m["media_metadata"] = {"photo_metadata": {"exif_data": exif}}
    m["backup_uri"] = "https://scontent.cdninstagram.example/v/" + uri.rsplit("/", 1)[-1]
    m["cross_post_source"] = {"source_app": "FB"}
    return m


def instagram_2025():
    top = OUT / "instagram-2025"
    d = "media/posts/202405/"
    files = {
        d + "10000000000000001_n_1.jpg": photo("Canon_40D.jpg"),
        d + "10000000000000002_n_2.jpg": photo("Kodak_CX7530.jpg"),
        d + "10000000000000003_n_3.jpg": photo("noexif.jpg"),
        d + "10000000000000004_n_4.jpg": photo("testorig.jpg"),
        d + "10000000000000005_n_5.jpg": photo("issue-exifr-59.jpg"),
        d + "20000000000000001_n_6.jpg": smaller_landscape(),
        d + "20000000000000002_n_7.mp4": FAKE_MP4,
        d + "20000000000000003_n_8": FAKE_MP4,  # a video without an extension
        d + "30000000000000001_n_9.webp": photo("denali.webp"),
        d + "40000000000000001_n_10.heic": photo("rotated-irot-exif6.heic"),
        d + "50000000000000001_n_11.png": photo("png_with_exif_and_gps.png"),
        # A real photo without EXIF: its position and time are only in exif_data.
        d + "60000000000000001_n_12.jpg": photo("img_1771_no_exif.jpg", ROOT / "tests/fixtures/similar"),
    }
    names = list(files)
    exif_gps = [
        {"latitude": 64.150481, "longitude": -21.932628},
        {"date_time_original": "2024:05:02 22:47:28", "lens_model": "iPhone 13 back camera"},
        {"device_id": "android-0123456789abcdef"},
    ]
    posts = [
        {  # a carousel of five: caption and time on the post
            "media": [media(n, 1714650000) for n in names[:5]],
            "title": CAPTIONS["simons"],
            "creation_timestamp": 1714650000,
        },
        {  # photo and videos in one carousel
            "media": [
                media(names[5], 1714660000, exif=[]),
                media(names[6], 1714660000, video=True),
                media(names[7], 1714660000),
            ],
            "title": CAPTIONS["cafe"],
            "creation_timestamp": 1714660000,
        },
        # one photo, caption and time on media[0] only
        {"media": [media(names[8], 1714670000, CAPTIONS["pinotxo"])]},
        {  # GPS and date in exif_data
            "media": [media(names[9], 1714690048, exif=exif_gps)],
            "title": CAPTIONS["harpa"],
            "creation_timestamp": 1714690048,
        },
        {  # (0, 0) is no position
            "media": [media(names[10], 1714700000, exif=[{"latitude": 0.0, "longitude": 0.0}])],
            "title": CAPTIONS["oro"],
            "creation_timestamp": 1714700000,
        },
        {  # a JPEG with GPS and date in exif_data (the pool, not the city's centre)
            "media": [media(names[11], 1714710000, exif=[
                {"latitude": 64.146331, "longitude": -21.930289},
                {"date_time_original": "2024:05:01 09:12:44"},
            ])],
            "title": CAPTIONS["sundholl"],
            "creation_timestamp": 1714710000,
        },
    ]
    meta = top / "your_instagram_activity/media"
    write(meta / "posts_1.json", ig_json(posts))
    stories = {"ig_stories": [media("media/stories/202405/s1.jpg", 1714600000), media("media/stories/202405/s2.mp4", 1714600001)]}
    write(meta / "stories.json", ig_json(stories))
    reels = {"ig_reels_media": [{"media": [media("media/reels/202405/r1.mp4", 1714610000, "A reel")]}]}
    write(meta / "reels.json", ig_json(reels))
    for name, data in files.items():
        write(top / name, data)


def instagram_2021_zip():
    """The 2021 layout (content/posts_N.json), zipped inside one top-level folder."""
    top = "instagram-toiletglyphprj-20210704/"
    d = "media/posts/202106/"
    files = {d + "60000000000000001_n_1.jpg": photo("Kodak_CX7530.jpg"), d + "60000000000000002_n_2.jpg": photo("Canon_40D.jpg")}
    first, second = list(files)
    entries = [
        ("content/posts_1.json", ig_json([{"media": [media(first, 1623000000)], "title": CAPTIONS["shibuya"], "creation_timestamp": 1623000000}])),
        ("content/posts_2.json", ig_json({"media": [media(second, 1624000000, CAPTIONS["taxi"])]})),
        ("content/stories.json", ig_json({"ig_stories": [media("media/stories/202106/s.jpg", 1623500000)]})),
    ] + list(files.items())
    path = OUT / "instagram-2021.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        for name, data in entries:
            info = zipfile.ZipInfo(top + name, date_time=(2021, 7, 4, 12, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    print(path.relative_to(ROOT))


def instagram_2024_single():
    """The 2024 layout with one post: posts_1.json holds an object, not an array."""
    top = OUT / "instagram-2024-single"
    uri = "media/posts/202403/70000000000000001_n_1.jpg"
    post = {"media": [media(uri, 1710000000)], "title": CAPTIONS["mexico"], "creation_timestamp": 1710000000}
    write(top / "your_instagram_activity/content/posts_1.json", ig_json(post))
    write(top / uri, photo("testorig.jpg"))


WXR_HEAD = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
	xmlns:excerpt="https://wordpress.org/export/1.2/excerpt/"
	xmlns:content="http://purl.org/rss/1.0/modules/content/"
	xmlns:wfw="http://wellformedweb.org/CommentAPI/"
	xmlns:dc="http://purl.org/dc/elements/1.1/"
	xmlns:wp="https://wordpress.org/export/1.2/">
<channel>
	<title>Toilet Glyphs</title>
	<link>https://blog.example</link>
	<wp:wxr_version>1.2</wp:wxr_version>
	<wp:base_site_url>https://blog.example</wp:base_site_url>
"""

U = "https://blog.example/wp-content/uploads"


def wxr_attachment(i, parent, file, alt, excerpt):
    return f"""	<item>
		<title><![CDATA[{file.rsplit('/', 1)[-1]}]]></title>
		<excerpt:encoded><![CDATA[{excerpt}]]></excerpt:encoded>
		<wp:post_id>{i}</wp:post_id>
		<wp:post_date_gmt><![CDATA[2019-03-02 09:00:00]]></wp:post_date_gmt>
		<wp:status><![CDATA[inherit]]></wp:status>
		<wp:post_parent>{parent}</wp:post_parent>
		<wp:post_type><![CDATA[attachment]]></wp:post_type>
		<wp:attachment_url><![CDATA[{U}/{file}]]></wp:attachment_url>
		<wp:postmeta>
			<wp:meta_key><![CDATA[_wp_attachment_image_alt]]></wp:meta_key>
			<wp:meta_value><![CDATA[{alt}]]></wp:meta_value>
		</wp:postmeta>
	</item>
"""


def wxr_post(i, title, status, kind, gmt, content, cats, extra=""):
    cat = "".join(
        f'\t\t<category domain="{d}" nicename="{n}"><![CDATA[{name}]]></category>\n' for d, n, name in cats
    )
    return f"""	<item>
		<title>{title}</title>
		<pubDate>Sat, 02 Mar 2019 10:00:00 +0000</pubDate>
		<dc:creator><![CDATA[curator]]></dc:creator>
		<content:encoded><![CDATA[{content}]]></content:encoded>
		<excerpt:encoded><![CDATA[]]></excerpt:encoded>
		<wp:post_id>{i}</wp:post_id>
		<wp:post_date>2019-03-02 11:00:00</wp:post_date>
		<wp:post_date_gmt>{gmt}</wp:post_date_gmt>
		<wp:status>{status}</wp:status>
		<wp:post_parent>0</wp:post_parent>
		<wp:post_type>{kind}</wp:post_type>
{cat}{extra}	</item>
"""


def wordpress():
    top = OUT / "wordpress"
    classic = (
        "Seen at the Caf&eacute; Central &ndash; the #Damen door.\n\n"
        f'[caption id="attachment_611" align="alignnone" width="300"]<a href="{U}/2019/03/door.jpg">'
        f'<img class="size-medium wp-image-611" src="{U}/2019/03/door-300x204.jpg" alt="" width="300" height="204" /></a>'
        " The ladies' door[/caption]\n\n"
        f'[caption id="attachment_614" align="alignnone" width="100" caption="The one that got away"]'
        f'<img src="{U}/2019/03/gone.jpg" width="100" height="68" />[/caption]\n\n'
        "Second paragraph, with a line\nbreak."
    )
    gutenberg = (
        "<!-- wp:paragraph --><p>Harpa, Reykjav&iacute;k &amp; the sea.</p><!-- /wp:paragraph -->\n\n"
        '<!-- wp:image {"id":621} --><figure class="wp-block-image size-large">'
        f'<img src="{U}/2019/04/harpa-1024x798.jpg" alt="Two pictograms on glass" class="wp-image-621"/>'
        "<figcaption>Level 2, by the hall</figcaption></figure><!-- /wp:image -->"
    )
    items = [
        wxr_attachment(611, 10, "2019/03/door.jpg", "A door with a woman pictogram", "Door, Wien"),
        wxr_attachment(612, 10, "2019/03/featured.jpg", "", "<em>Featured</em> photo"),
        wxr_attachment(614, 10, "2019/03/gone.jpg", "", ""),
        wxr_attachment(621, 20, "2019/04/harpa.jpg", "Harpa", ""),
        wxr_post(10, "Caf&#xE9; Central, Wien", "publish", "post", "2019-03-02 10:00:00", classic,
                 [("category", "uncategorized", "Uncategorized"), ("category", "europe", "Europe"), ("post_tag", "pictogram", "Pictogram")],
                 "\t\t<wp:postmeta><wp:meta_key>_thumbnail_id</wp:meta_key><wp:meta_value>612</wp:meta_value></wp:postmeta>\n"),
        wxr_post(20, "<![CDATA[Harpa & the sea]]>", "draft", "post", "0000-00-00 00:00:00", gutenberg,
                 [("post_tag", "minimalist", "Minimalist")]),
        wxr_post(30, "About", "publish", "page", "2019-01-01 00:00:00", "<p>About this blog.</p>", []),
    ]
    xml = WXR_HEAD + "".join(items) + "</channel>\n</rss>\n"
    write(top / "toiletglyphs.wordpress.2019-04-05.xml", xml.encode())
    up = top / "wp-content/uploads"
    write(up / "2019/03/door.jpg", photo("Canon_40D.jpg"))
    write(up / "2019/03/featured.jpg", photo("noexif.jpg"))
    write(up / "2019/04/harpa.jpg", photo("issue-exifr-59.jpg"))
    # 2019/03/gone.jpg is missing on purpose.


def main():
    if OUT.exists():
        shutil.rmtree(OUT)
    instagram_2025()
    instagram_2021_zip()
    instagram_2024_single()
    wordpress()


if __name__ == "__main__":
    main()
