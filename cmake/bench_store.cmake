# Store benchmark (bench/run_bench_store.sh runs it). Uses the test fixtures
# for the crypto hook and synthetic embeddings.
add_executable(bench_store ${CMAKE_SOURCE_DIR}/bench/bench_store.c)
target_link_libraries(bench_store PRIVATE mf_test_support)
# Import cost against the number of identities (bench/bench_store_import.sh).
add_executable(bench_store_import ${CMAKE_SOURCE_DIR}/bench/bench_store_import.c)
target_link_libraries(bench_store_import PRIVATE mf_test_support)
