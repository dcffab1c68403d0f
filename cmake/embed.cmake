# xref_embed(OUT_C SYMBOL FILE): turns a data file into a C source defining
#   const char SYMBOL[]; const size_t SYMBOL_len;
# so that knowledge tables and web assets are part of the binary and the
# build never reads them at run time.
function(xref_embed out_c symbol file)
  add_custom_command(
    OUTPUT ${out_c}
    COMMAND ${CMAKE_COMMAND} -DIN=${file} -DOUT=${out_c} -DSYM=${symbol}
            -P ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    DEPENDS ${file} ${CMAKE_SOURCE_DIR}/cmake/embed_run.cmake
    COMMENT "Embedding ${file}"
    VERBATIM)
endfunction()
