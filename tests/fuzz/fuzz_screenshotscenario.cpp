// libFuzzer target for the scenario files of `headway screenshot` (ScenarioFile::parse,
// no widget needed): a scenario is either refused with a message or within the documented
// ranges (window size, font size, page widths and height, known views). Violations abort().
#include "ui/scenariofile.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const auto s
        = ScenarioFile::parse(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)),
                              QStringLiteral("fuzz.json"), &error);
    if (!s) {
        if (error.isEmpty())
            std::abort();
        return 0;
    }
    if (s->window.width() < 200 || s->window.height() < 150 || s->window.width() > 8000
        || s->window.height() > 8000 || s->fontPointSize < 5 || s->fontPointSize > 48
        || s->views.isEmpty() || s->pageWidths.isEmpty() || s->pageHeight < 0
        || s->pageHeight > ScenarioFile::MaxPageHeight)
        std::abort();
    for (const QString &view : s->views) {
        if (!ScenarioFile::viewNames().contains(view))
            std::abort();
    }
    for (const int width : s->pageWidths) {
        if (width < ScenarioFile::MinPageWidth || width > ScenarioFile::MaxPageWidth)
            std::abort();
    }
    return 0;
}
