#pragma once

// A writer for the Prometheus text exposition format (version 0.0.4): HELP and TYPE once per
// family, then its samples. Escaping and number formatting live here so the metric code
// cannot get them wrong.

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <initializer_list>

namespace opsdeck::hub::observability {

using Labels = QList<QPair<QString, QString>>;

class PrometheusWriter
{
public:
    enum class Type
    {
        Counter,
        Gauge,
        Histogram
    };

    // Starts a family; every sample until the next family() must belong to it.
    void family(const char *name, Type type, const char *help);
    void sample(double value, const Labels &labels = {}) { sampleNamed(m_family, value, labels); }
    // For histograms: `suffix` is "_bucket", "_sum" or "_count".
    void sampleSuffixed(const char *suffix, double value, const Labels &labels = {});

    QByteArray text() const { return m_text; }

    static QByteArray escapeLabelValue(const QString &value);
    static QByteArray escapeHelp(const char *help);
    static QByteArray formatValue(double value);

private:
    void sampleNamed(const QByteArray &name, double value, const Labels &labels);

    QByteArray m_text;
    QByteArray m_family;
};

} // namespace opsdeck::hub::observability
