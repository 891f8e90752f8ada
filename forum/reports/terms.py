"""Key terms of a consultation's comments: per stance and per clause, in the words residents used.

The most helpful comments (at most `SAMPLE_SIZE`, chosen in SQL) are run
through the search analyzer (forum/search/analysis.py): stop words go,
words are stemmed so `membangun` and `pembangunan` count as one term, and
each term is shown as the form residents wrote most often. The sample bounds
the cost whatever the number of comments; the summary says it is a sample.
"""
from collections import Counter, defaultdict

from sqlalchemy import select

from forum.extensions import db
from forum.models import Comment, Section
from forum.search.analysis import tokens

SAMPLE_SIZE = 3000
TERMS_PER_STANCE = 12
TERMS_PER_CLAUSE = 6
MIN_WORD_LENGTH = 3


def key_terms(conditions):
    """(terms per stance, terms per clause key, sample size) for the comments matching `conditions`.

    Terms are lists of (word, number of comments using it), most used first.
    """
    sample = db.session.execute(
        select(Comment.stance, Section.clause_key, Comment.body_source)
        .outerjoin(Section, Section.id == Comment.section_id)
        .where(*conditions, Comment.is_official_response.is_(False))
        .order_by(Comment.up_count.desc(), Comment.id)
        .limit(SAMPLE_SIZE)
    ).all()
    by_stance, by_clause = defaultdict(Counter), defaultdict(Counter)
    spellings = defaultdict(Counter)
    for stance, clause_key, body in sample:
        stems = set()
        for folded, stem, *_rest in tokens(body):
            if len(folded) >= MIN_WORD_LENGTH and folded.isalpha():
                stems.add(stem)
                spellings[stem][folded] += 1
        if stance:
            by_stance[stance].update(stems)
        if clause_key:
            by_clause[clause_key].update(stems)

    def shown(counter, limit):
        return [(spellings[stem].most_common(1)[0][0], count)
                for stem, count in counter.most_common(limit) if count > 1]

    return ({stance: shown(counter, TERMS_PER_STANCE) for stance, counter in by_stance.items()},
            {key: shown(counter, TERMS_PER_CLAUSE) for key, counter in by_clause.items()},
            len(sample))
