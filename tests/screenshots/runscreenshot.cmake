# One screenshot test (cmake -P): render the scenario NAME into ACTUAL, compare with REFERENCE.
file(GLOB old ${ACTUAL}/${NAME}-*.png)
if(old)
    file(REMOVE ${old})
endif()
file(MAKE_DIRECTORY ${ACTUAL})
set(ENV{QT_QPA_PLATFORM} offscreen)
execute_process(
    COMMAND ${HEADWAY} screenshot --scenario ${SCENARIO} --out ${ACTUAL}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "headway screenshot failed (${rc}) for ${SCENARIO}")
endif()
execute_process(
    COMMAND ${IMAGECOMPARE} --reference ${REFERENCE} --actual ${ACTUAL} --prefix ${NAME}
        --tolerance ${TOLERANCE} --max-percent ${MAX_PERCENT}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NAME}: screenshots differ from tests/screenshots/reference "
        "(actual and diff images are in ${ACTUAL}; if the change is intended, run "
        "`cmake --build <build> --target update-screenshots` and commit the new references)")
endif()
