#pragma once

// The one source of randomness of a demo fleet. Every decision (log lines, task durations,
// metrics noise, disconnects) draws from here, so a fleet built with the same seed and stepped
// the same way makes the same decisions — `--seed N` reproduces a run.

#include <QRandomGenerator>
#include <QString>
#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <numbers>

namespace opsdeck::hub::demo {

class Rng
{
public:
    explicit Rng(quint64 seed)
        : m_gen(makeGenerator(seed))
    { }

    double uniform() { return m_gen.generateDouble(); }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    // Inclusive on both ends.
    int range(int lo, int hi) { return hi <= lo ? lo : lo + int(m_gen.bounded(quint32(hi - lo + 1))); }
    bool chance(double p) { return uniform() < p; }

    double gauss(double mean, double sd)
    {
        // Box–Muller without caching the second value: one more draw, but no hidden state
        // that would make two call orders diverge.
        const double u1 = std::max(uniform(), 1e-12);
        const double u2 = uniform();
        return mean + sd * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * std::numbers::pi * u2);
    }

    // Knuth's method; the demo's rates per step are small (well under 30).
    int poisson(double lambda)
    {
        if (lambda <= 0)
            return 0;
        const double limit = std::exp(-lambda);
        int k = 0;
        double p = uniform();
        while (p > limit && k < 1000) {
            ++k;
            p *= uniform();
        }
        return k;
    }

    template<typename T> const T &pick(std::initializer_list<T> items)
    {
        return *(items.begin() + range(0, int(items.size()) - 1));
    }
    const char *pick(std::initializer_list<const char *> items)
    {
        return *(items.begin() + range(0, int(items.size()) - 1));
    }
    QString pickStr(std::initializer_list<const char *> items) { return QString::fromUtf8(pick(items)); }

    // Lowercase base-36, like seed 004's block id suffix ("3igzjpzov").
    QString token(int length)
    {
        static constexpr char kAlphabet[] = "0123456789abcdefghijklmnopqrstuvwxyz";
        QString out;
        out.reserve(length);
        for (int i = 0; i < length; ++i)
            out.append(QLatin1Char(kAlphabet[m_gen.bounded(36U)]));
        return out;
    }

    QString hex(int length)
    {
        static constexpr char kAlphabet[] = "0123456789abcdef";
        QString out;
        for (int i = 0; i < length; ++i)
            out.append(QLatin1Char(kAlphabet[m_gen.bounded(16U)]));
        return out;
    }

private:
    static QRandomGenerator makeGenerator(quint64 seed)
    {
        const quint32 words[2] = {quint32(seed), quint32(seed >> 32)};
        return QRandomGenerator(words, words + 2);
    }

    QRandomGenerator m_gen;
};

} // namespace opsdeck::hub::demo
