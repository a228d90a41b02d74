#include "app/core/translations.h"

#include <QCoreApplication>
#include <QTranslator>

bool installTranslations()
{
    auto *app = QCoreApplication::instance();
    if (!app)
        return false;
    // Owned by the application object: it lives exactly as long as the translator is installed.
    auto *english = new QTranslator(app);
    if (!english->load(QStringLiteral(":/i18n/headway_en.qm"))) {
        delete english;
        return false;
    }
    return QCoreApplication::installTranslator(english);
}
