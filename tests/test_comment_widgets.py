"""JavaScript comment widgets: each is named in `comments_system` from its holder or its loader
script alone, and never yields comments (they are not in the HTML). Small pages built from each
widget's documented embed snippet; the fixture cases in tests/fixtures/comments/embeds/ cover
whole pages."""

from __future__ import annotations

import pytest

from archiver.extract import extract_page

ARTICLE = "<article><h1>Title</h1><p>" + "The article text, long enough to be the body. " * 6 + "</p></article>"

WIDGETS = {
    "livefyre": '<div id="livefyre-comments"></div><script src="//cdn.livefyre.com/Livefyre.js"></script>',
    "viafoura": '<div class="vf3-comments"></div><script src="https://cdn.viafoura.net/entry/index.js"></script>',
    "coral": '<div id="c"></div><script>Coral.createStreamEmbed({id: "c", rootURL: "https://talk.example.org"});</script>',
    "openweb": '<div data-openweb-module="conversation"></div><script src="https://launcher.openweb.com/spot/sp_x"></script>',
    "hyvor": '<hyvor-talk-comments website-id="1" page-id="x"></hyvor-talk-comments>',
    "commento": '<div id="commento"></div><script defer src="https://cdn.commento.io/js/commento.js"></script>',
    "giscus": '<script src="https://giscus.app/client.js" data-repo="a/b" async></script>',
    "utterances": '<script src="https://utteranc.es/client.js" repo="a/b" issue-term="pathname" async></script>',
    "intensedebate": ('<script>var idcomments_acct = "abc";</script>'
                      '<script src="https://www.intensedebate.com/js/genericCommentWrapperV2.js"></script>'),
    "graphcomment": '<div id="graphcomment"></div>',
    "cackle": '<div id="mc-container"></div>',
    "hypercomments": '<div id="hypercomments_widget"></div>',
    "talkyard": '<div class="talkyard-comments" data-discussion-id=""></div>',
}


@pytest.mark.parametrize("system", sorted(WIDGETS))
def test_widget_is_named_and_yields_no_comments(system: str) -> None:
    record = extract_page(f"<html><body>{ARTICLE}{WIDGETS[system]}</body></html>", "https://news.example.com/a")
    assert record["comments_system"] == system
    assert record["comments"] == []


def test_a_site_wide_config_that_only_mentions_a_provider_names_nothing() -> None:
    config = ('<script>window.CONFIG = {"livefyre": {"srcDomain": "//cdn.livefyre.com",'
              ' "network": "x.fyre.co"}};</script>')
    record = extract_page(f"<html><body>{ARTICLE}{config}</body></html>", "https://news.example.com/a")
    assert record["comments_system"] is None
