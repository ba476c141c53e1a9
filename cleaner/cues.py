"""Multilingual cue phrases that mark navigation, paywall and advertising lines.

The lists are lower-case. A cue counts as *leading* when the line starts with it
(after bullets and punctuation are stripped) and as *inside* anywhere else. The
model learns how much each hit matters; the lists only have to be broad.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Sequence

import numpy as np

NAV_CUES: tuple[str, ...] = (
    # en
    "share this", "like this", "loading...", "leave a comment", "leave a reply", "rate this",
    "you are currently viewing", "skip to content", "skip to main content", "posted in", "filed under",
    "tags:", "tagged", "read more", "previous article", "next article", "prev", "next", "home",
    "menu", "search", "subscribe to our newsletter", "sign up for our newsletter", "newsletter",
    "cookie", "cookies", "privacy policy", "terms of use", "all rights reserved", "copyright", "©",
    "print", "email", "comments", "comment", "follow us", "click to share", "opens in new window",
    "by ", "updated", "published", "min read", "related", "back to top", "log in", "sign in",
    "photo:", "image:", "credit:", "source:",
    # fr
    "notez ce post", "laisser un commentaire", "partager", "partager sur", "imprimer", "accueil",
    "publié le", "mis à jour", "par ", "auteur", "catégorie", "post category", "commentaires",
    "lire la suite", "article précédent", "article suivant", "abonnez-vous à notre newsletter",
    "inscrivez-vous", "mentions légales", "tous droits réservés", "vous aimerez", "temps de lecture",
    # it
    "aggiungi alle tue selezioni", "condividi", "stampa", "commenta", "lascia un commento", "pubblicato",
    "aggiornato", "di ", "tutti i diritti riservati", "iscriviti alla newsletter", "articolo precedente",
    "articolo successivo", "tempo di lettura",
    # de
    "teilen", "drucken", "kommentare", "kommentieren", "startseite", "veröffentlicht", "aktualisiert",
    "von ", "lesezeit", "alle rechte vorbehalten", "newsletter abonnieren", "zum newsletter",
    "datenschutz", "impressum", "vorheriger artikel", "nächster artikel", "zurück", "weiter",
    # es
    "compartir", "comentarios", "imprimir", "inicio", "publicado", "actualizado", "por ",
    "todos los derechos reservados", "suscríbete a nuestro boletín", "deja un comentario",
    "noticia anterior", "siguiente noticia", "tiempo de lectura",
    # pt
    "compartilhar", "partilhar", "comentários", "deixe um comentário", "publicado em", "atualizado",
    "todos os direitos reservados", "receba nossa newsletter", "início", "notícia anterior", "próxima notícia",
    # pl
    "udostępnij", "komentarze", "skomentuj", "drukuj", "strona główna", "opublikowano", "aktualizacja",
    "wszelkie prawa zastrzeżone", "zapisz się do newslettera", "poprzedni artykuł", "następny artykuł",
    # nl
    "delen", "deel dit", "reacties", "reageer", "afdrukken", "gepubliceerd", "bijgewerkt", "door ",
    "alle rechten voorbehouden", "schrijf je in voor de nieuwsbrief", "vorig artikel", "volgend artikel",
    # ru / uk
    "поделиться", "комментарии", "оставить комментарий", "главная", "опубликовано", "обновлено",
    "автор", "все права защищены", "подпишитесь на рассылку", "предыдущая статья", "следующая статья",
    "поділитися", "коментарі", "залишити коментар", "головна", "опубліковано", "оновлено",
    "усі права захищені", "всі права захищені", "підпишіться на розсилку", "попередня стаття", "наступна стаття",
    # tr
    "paylaş", "yorumlar", "yorum yap", "ana sayfa", "yayınlanma", "güncelleme", "tüm hakları saklıdır",
    "bültene abone ol", "önceki haber", "sonraki haber", "okuma süresi",
    # ja / zh
    "シェア", "ツイート", "コメント", "ホーム", "トップ", "前の記事", "次の記事", "無断転載",
    "分享", "评论", "首页", "上一篇", "下一篇", "版权所有",
)

PAYWALL_CUES: tuple[str, ...] = (
    # en
    "subscribe to read", "subscribe to continue", "subscribers only", "for subscribers", "already a subscriber",
    "already subscribed", "of this article remains", "to read the full article", "premium", "subscribe now",
    "unlock this article", "members only", "for members", "start your free trial", "per month", "/month",
    "you have reached your limit", "free articles",
    # fr
    "réservé aux abonnés", "restreint aux abonnés", "article réservé", "abonnez-vous", "déjà abonné",
    "il vous reste", "de cet article à lire", "la suite est réservée", "offre d'abonnement", "par mois",
    "s'abonner",
    # it
    "riservato agli abbonati", "riservato ai nostri abbonati", "ti resta", "di questo articolo da leggere",
    "abbonati", "sei già abbonato", "accedi per continuare", "abbonamento", "al mese",
    # de
    "abonnenten", "abo", "plus-artikel", "jetzt abonnieren", "bereits abonnent", "weiterlesen mit",
    "artikel freischalten", "pro monat", "im monat", "nur für abonnenten", "testabo",
    # es
    "exclusivo para suscriptores", "suscríbete", "ya eres suscriptor", "contenido exclusivo", "suscripción",
    "al mes", "sigue leyendo",
    # pt
    "exclusivo para assinantes", "assine", "já é assinante", "assinatura", "por mês", "continue lendo",
    # pl
    "dla subskrybentów", "dostęp premium", "wykup subskrypcję", "masz już subskrypcję", "zaloguj się",
    "pozostało", "miesięcznie",
    # nl
    "alleen voor abonnees", "word abonnee", "al abonnee", "abonnement", "per maand", "plus-artikel",
    # ru / uk
    "только для подписчиков", "оформите подписку", "уже подписчик", "подписка", "в месяц",
    "доступно подписчикам", "лише для передплатників", "оформіть передплату", "передплата", "на місяць",
    "тільки для передплатників",
    # tr
    "abonelere özel", "abone ol", "zaten abone", "aylık", "abonelik",
    # ja / zh
    "有料会員", "会員限定", "この記事は有料", "続きを読む", "残り", "購読", "登录", "订阅", "付费",
)

AD_CUES: tuple[str, ...] = (
    # en
    "read also", "read more:", "see also", "also read", "don't miss", "do not miss", "most read", "most popular",
    "recommended", "you may also like", "you might also like", "related:", "sponsored", "advertisement",
    "promoted", "partner content", "paid content", "casino", "bonus", "betting", "bet ", "crypto", "bitcoin",
    "dating", "singles", "vpn", "discount", "deal", "promo code", "coupon", "free spins", "click here", "trending",
    # fr
    "à lire aussi", "a lire aussi", "lire aussi", "à voir aussi", "a voir aussi", "à ne pas manquer",
    "a ne pas manquer", "à explorer", "a explorer", "voir aussi", "les plus lus", "publicité", "sponsorisé",
    "contenu sponsorisé", "site de rencontre", "célibataires", "en partenariat", "sur le même sujet",
    # it
    "leggi anche", "potrebbe interessarti", "da non perdere", "i più letti", "pubblicità", "scommesse",
    "sponsorizzato", "contenuto sponsorizzato", "ti potrebbe interessare", "guarda anche",
    # de
    "lesen sie auch", "lesen sie mehr", "auch interessant", "mehr zum thema", "das könnte sie interessieren",
    "meistgelesen", "anzeige", "werbung", "gesponsert", "sportwetten", "partnersuche",
    # es
    "lee también", "te puede interesar", "también te puede interesar", "no te pierdas", "lo más leído",
    "publicidad", "patrocinado", "apuestas", "más noticias", "relacionado",
    # pt
    "leia também", "leia mais", "veja também", "não perca", "mais lidas", "publicidade", "patrocinado",
    "apostas", "saiba mais",
    # pl
    "czytaj także", "czytaj też", "zobacz też", "zobacz także", "polecamy", "najczęściej czytane",
    "reklama", "artykuł sponsorowany", "zakłady", "przeczytaj również",
    # nl
    "lees ook", "lees meer", "bekijk ook", "meest gelezen", "advertentie", "gesponsord", "aanbevolen",
    # ru / uk
    "читайте также", "читайте еще", "смотрите также", "по теме", "самое читаемое", "реклама", "партнерский материал",
    "ставки", "казино", "знакомства", "криптовалют", "читайте також", "дивіться також", "найпопулярніше",
    "на правах реклами", "рекомендуємо", "рекомендуем",
    # tr
    "bunu da okuyun", "ilginizi çekebilir", "bunlar da ilginizi çekebilir", "en çok okunanlar", "reklam",
    "sponsorlu", "bahis", "ayrıca okuyun", "şunu da okuyun",
    # ja / zh
    "あわせて読みたい", "関連記事", "おすすめ", "人気記事", "広告", "pr", "スポンサー", "こちらもおすすめ",
    "相关阅读", "推荐阅读", "广告", "热门",
)

CUE_CLASSES: tuple[str, ...] = ("nav", "paywall", "ad")
_CUES = {"nav": NAV_CUES, "paywall": PAYWALL_CUES, "ad": AD_CUES}

# Bullets, quotes and spaces that scrapers put in front of a cue ("• Share", "» Read also").
_LEAD_STRIP = " \t\u00a0•·▪►▶>»«-–—*|#:\"'“”„()[]"


# Short cues ("by ", "pr", "abo") only mean something at the start of a line.
INSIDE_MIN_CHARS = 5
# Cues are looked for near the ends of a line only, which keeps the search linear in line count.
HEAD_CHARS = 300
TAIL_CHARS = 200


@dataclass(frozen=True)
class _Matcher:
    """Every cue of every class in one Aho-Corasick automaton, and what each cue means."""

    automaton: Any
    # Per cue, in the automaton's order: bit k set when the cue belongs to CUE_CLASSES[k].
    classes: np.ndarray
    # Per cue: it ends in a letter or digit, so it must end a word ("pr" is not the start of "prev").
    bounded: np.ndarray
    # Per cue: long enough to count inside a line, not only at its start.
    long: np.ndarray


@lru_cache(maxsize=None)
def _matcher() -> _Matcher:
    """The automaton of all cues, built once per process (well under a millisecond)."""
    from ahocorasick_rs import AhoCorasick

    cues = sorted({c for cls in CUE_CLASSES for c in _CUES[cls]})
    classes = np.array([sum(1 << k for k, cls in enumerate(CUE_CLASSES) if c in _CUES[cls]) for c in cues])
    return _Matcher(
        automaton=AhoCorasick(cues),
        classes=classes,
        bounded=np.array([c[-1].isalnum() for c in cues]),
        long=np.array([len(c) >= INSIDE_MIN_CHARS for c in cues]),
    )


def _prepare(text: str) -> str:
    """The part of a line that cues are looked for in, lower-cased, leading bullets stripped."""
    if len(text) > HEAD_CHARS + TAIL_CHARS:
        text = text[:HEAD_CHARS] + " \n " + text[-TAIL_CHARS:]
    return text.lower().lstrip(_LEAD_STRIP)


def _is_word(ch: str) -> bool:
    """What ``\\w`` of Python's ``re`` matches (an empty string is no word character)."""
    return ch.isalnum() or ch == "_"


# Joins prepared lines for one search: a character no cue holds and no word has.
_SEP = "\x00"


def _hits(lows: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """For prepared lines: the end of the longest leading cue per class (0: none), and inside hits.

    All lines are searched in one pass of the automaton over their concatenation. The
    separator is in no cue, so no match spans two lines, and it is no word character, so a
    cue at the end of a line ends a word there as at the end of a string. Every occurrence
    of every cue is reported (overlapping matches), which makes the result that of trying
    each cue at each position: the longest cue at a line's start that ends a word there is
    its leading cue, and any long cue after it counts as inside.
    """
    m, k = len(lows), len(CUE_CLASSES)
    lead = np.zeros((m, k), dtype=np.int64)
    inside = np.zeros((m, k), dtype=bool)
    if not m:
        return lead, inside
    joined = _SEP.join(lows)
    matcher = _matcher()
    found = matcher.automaton.find_matches_as_indexes(joined, overlapping=True)
    if not found:
        return lead, inside
    # The (cue, start, end) triples flattened in one pass: an array built from a list of tuples costs
    # several times more.
    idx, start, end = np.fromiter(itertools.chain.from_iterable(found), dtype=np.int64,
                                  count=3 * len(found)).reshape(-1, 3).T
    bounded = matcher.bounded[idx]
    ok = np.ones(len(idx), dtype=bool)
    ok[bounded] = [not _is_word(joined[e : e + 1]) for e in end[bounded].tolist()]
    idx, start, end = idx[ok], start[ok], end[ok]
    length = end - start
    offsets = np.cumsum([0] + [len(x) + 1 for x in lows[:-1]])
    line = offsets.searchsorted(start, side="right") - 1
    start -= offsets[line]
    classes, long = matcher.classes[idx], matcher.long[idx]
    for c in range(k):
        mine = (classes >> c) & 1 == 1
        first = mine & (start == 0)
        np.maximum.at(lead[:, c], line[first], length[first])
        later = mine & long & (start >= lead[line, c])
        inside[line[later], c] = True
    return lead, inside


def cue_hits_many(texts: Sequence[str]) -> np.ndarray:
    """``cue_hits`` of many lines at once, one row each: far faster than line by line."""
    lead, inside = _hits([_prepare(t) for t in texts])
    out = np.empty((len(texts), 2 * len(CUE_CLASSES)))
    out[:, 0::2] = lead > 0
    out[:, 1::2] = inside
    return out


def cue_hits(text: str) -> list[float]:
    """Return, for nav, paywall and ad in turn, (leading hit, inside hit) as 0/1 floats.

    A leading hit is a cue at the start of the line (after bullets and punctuation);
    an inside hit is a cue of at least ``INSIDE_MIN_CHARS`` characters after the leading
    cue of the same class, if any. A cue that ends in a letter or digit must end a word.
    Only the first ``HEAD_CHARS`` and last ``TAIL_CHARS`` characters of a long line count.
    """
    return cue_hits_many([text])[0].tolist()


# A line that is a cue and nothing else ("Les plus lus", "広告", "Mais lidas da semana") may carry
# this many more words after the cue.
CUE_LINE_EXTRA_WORDS = 1
_CUE_LINE_TAIL = " :：-–—|»›>…·•"
_CLOSED = re.compile(r"[.!?。！？]$")


def cue_line_class(text: str, extra_words: int = CUE_LINE_EXTRA_WORDS) -> str | None:
    """The class of a line that is only a cue phrase, or ``None``.

    The line must open with a cue (as ``cue_hits`` reads it), add at most
    ``extra_words`` words after it, and not end a sentence. Teaser and paywall cues
    are looked for before navigation ones: they are the more specific.
    """
    return cue_line_classes([text], extra_words)[0]


def cue_line_classes(texts: Sequence[str], extra_words: int = CUE_LINE_EXTRA_WORDS) -> list[str | None]:
    """``cue_line_class`` of many lines, with one search of the cue automaton."""
    out: list[str | None] = [None] * len(texts)
    todo = [j for j, text in enumerate(texts) if len(text) <= HEAD_CHARS and not _CLOSED.search(text.rstrip())]
    lows = [texts[j].lower().lstrip(_LEAD_STRIP) for j in todo]
    lead = _hits(lows)[0].tolist()
    for j, low, ends in zip(todo, lows, lead):
        for cls in ("ad", "paywall", "nav"):
            end = ends[CUE_CLASSES.index(cls)]
            if end and len(low[end:].strip(_CUE_LINE_TAIL).split()) <= extra_words:
                out[j] = cls
                break
    return out
