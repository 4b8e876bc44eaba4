// Retention of HistoryStore: by count per topic and by age, deleting from the old end only, so
// what stays is always a contiguous run of seqs up to the head.

#include "historystore.h"
#include "storagelog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace opsdeck::hub::storage {

namespace {
    // Retention deletes at most this many rows of a topic per step, so lowering the limits on a big
    // database costs a few short transactions per prune tick instead of one long stall.
    constexpr qint64 kPruneStep = 20000;
    constexpr int kPruneStepsPerCall = 10;
} // namespace

qint64 HistoryStore::prune(qint64 nowMs)
{
    if (!m_open)
        return 0;
    flush();
    qint64 deleted = 0;
    for (auto it = m_topics.begin(); it != m_topics.end(); ++it) {
        for (int step = 0; step < kPruneStepsPerCall; ++step) {
            const qint64 rows = pruneTopic(it.key(), it.value(), nowMs);
            deleted += rows;
            if (rows < kPruneStep)
                break;
        }
    }
    return deleted;
}

qint64 HistoryStore::pruneTopic(const QString &topic, TopicState &state, qint64 nowMs)
{
    if (state.oldestSeq == 0)
        return 0;
    quint64 cut = 0; // delete every seq <= cut
    if (m_config.maxEntriesPerTopic > 0
        && state.headSeq - state.oldestSeq + 1 > quint64(m_config.maxEntriesPerTopic))
        cut = state.headSeq - quint64(m_config.maxEntriesPerTopic);
    if (m_config.maxAgeMs > 0) {
        // The newest expired entry by time; publish times follow seq, so everything before it
        // has expired too, and deleting by seq keeps the stored run contiguous.
        QSqlQuery query(m_db);
        query.prepare(
            QStringLiteral("SELECT seq FROM %1 WHERE ts < ? ORDER BY ts DESC LIMIT 1").arg(tableOf(topic)));
        query.addBindValue(nowMs - m_config.maxAgeMs);
        if (query.exec() && query.next())
            cut = std::max(cut, quint64(query.value(0).toLongLong()));
    }
    if (cut < state.oldestSeq)
        return 0;
    cut = std::min(cut, state.oldestSeq + quint64(kPruneStep) - 1);
    QSqlQuery remove(m_db);
    remove.prepare(QStringLiteral("DELETE FROM %1 WHERE seq <= ?").arg(tableOf(topic)));
    remove.addBindValue(qint64(cut));
    if (!remove.exec()) {
        qCWarning(lcStorage) << "history store: retention of" << topic
                             << "failed:" << remove.lastError().text();
        return 0;
    }
    const qint64 rows = remove.numRowsAffected();
    state.oldestSeq = cut + 1 > state.headSeq ? 0 : cut + 1;
    return std::max<qint64>(rows, 1);
}

} // namespace opsdeck::hub::storage
