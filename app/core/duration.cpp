#include "app/core/duration.h"

#include <QString>

#include <algorithm>
#include <limits>

std::optional<std::chrono::milliseconds> parseDuration(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    struct Unit
    {
        char16_t suffix;
        qint64 ms;
    };
    static constexpr Unit units[]
        = { { u's', 1'000 }, { u'm', 60'000 }, { u'h', 3'600'000 }, { u'd', 86'400'000 } };
    qint64 unitMs = 3'600'000; // a number alone counts hours
    if (const QChar last = text.back().toLower(); !last.isDigit()) {
        const auto unit = std::find_if(std::begin(units), std::end(units), [last](const Unit &u) {
            return u.suffix == last.unicode();
        });
        if (unit == std::end(units))
            return std::nullopt;
        unitMs = unit->ms;
        text.chop(1);
    }
    // Digits only: no sign, no fraction, no spaces, no second unit.
    if (text.isEmpty() || text.size() > 18
        || !std::all_of(text.begin(), text.end(), [](QChar c) { return c >= u'0' && c <= u'9'; }))
        return std::nullopt;
    const qint64 count = text.toString().toLongLong(); // QStringView::toLongLong: Qt 6.6+
    if (count > std::numeric_limits<qint64>::max() / unitMs)
        return std::nullopt;
    return std::chrono::milliseconds(count * unitMs);
}
