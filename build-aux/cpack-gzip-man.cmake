# cpack-gzip-man.cmake: run by CPack (CPACK_PRE_BUILD_SCRIPTS) after it has
# installed the files to package and before it packs them: compresses every
# man page with `gzip -9n`, as Debian policy (12.1) wants, so that a .deb
# installs man1/briefgen.1.gz.  `cmake --install` is not affected.
find_program(GZIP gzip REQUIRED)
file(GLOB_RECURSE pages LIST_DIRECTORIES false
  "${CPACK_TEMPORARY_INSTALL_DIRECTORY}/*/share/man/man[1-9]/*.[1-9]")
foreach(page ${pages})
  execute_process(COMMAND ${GZIP} -9nf ${page} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${page} failed")
  endif()
endforeach()
