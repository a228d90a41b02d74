# Runs lupdate (plural strings only) over app/ and ui/ into a copy of headway_en.ts and fails
# when it finds a plural string without its English forms (or with an empty one).
file(MAKE_DIRECTORY ${WORK})
configure_file(${SOURCE_DIR}/resources/i18n/headway_en.ts ${WORK}/headway_en.ts COPYONLY)
execute_process(
    COMMAND ${LUPDATE} -pluralonly -locations none -no-obsolete
            ${SOURCE_DIR}/app ${SOURCE_DIR}/ui -ts ${WORK}/headway_en.ts
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "lupdate failed (${rc}): ${out}${err}")
endif()
file(READ ${WORK}/headway_en.ts ts)
string(REGEX MATCHALL "<source>[^<]*</source>[ \n]*<translation type=\"unfinished\"" missing "${ts}")
if(missing)
    message(FATAL_ERROR "Plural strings without English forms (run the update-translations "
                        "target and fill them in resources/i18n/headway_en.ts):\n${missing}")
endif()
if(ts MATCHES "<numerusform></numerusform>")
    message(FATAL_ERROR "An empty plural form in resources/i18n/headway_en.ts: fill it in.")
endif()
if(NOT ts MATCHES "numerus=\"yes\"")
    message(FATAL_ERROR "No plural strings found: lupdate did not read the sources.")
endif()
message(STATUS "every plural string has its English forms")
