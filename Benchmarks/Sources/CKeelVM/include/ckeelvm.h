// CKeelVM: a C interpreter of the Keel VM (spec/VM.md, sections 2 to 6), the yardstick that the
// Swift `Interpreter` is measured against. It decodes the same `.kvm` bytes, lowers them into a
// compact array whose operation codes already encode the operand modes, and runs it with one
// `switch` per instruction over raw memory. It must give exactly the Swift interpreter's status,
// steps, pc, output and storage; the benchmark harness checks that on every workload.
#ifndef CKEELVM_H
#define CKEELVM_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// How a run ended (spec/VM.md section 5).
typedef enum {
    CKVM_HALTED = 0,
    CKVM_MEMORY_OUT_OF_BOUNDS = 1,
    CKVM_JUMP_OUT_OF_BOUNDS = 2,
    CKVM_FRAME_OUT_OF_BOUNDS = 3,
    CKVM_STEP_LIMIT = 4,
} ckvm_status;

/// Why `ckvm_program_decode` rejected a file (spec/VM.md section 6), or `CKVM_DECODE_OK`.
typedef enum {
    CKVM_DECODE_OK = 0,
    CKVM_DECODE_TRUNCATED_HEADER,
    CKVM_DECODE_BAD_MAGIC,
    CKVM_DECODE_UNSUPPORTED_VERSION,
    CKVM_DECODE_MEMORY_LOG2_OUT_OF_RANGE,
    CKVM_DECODE_RESERVED_HEADER_BYTES,
    CKVM_DECODE_TOO_MANY_INSTRUCTIONS,
    CKVM_DECODE_LENGTH_MISMATCH,
    CKVM_DECODE_COUNTS_DO_NOT_FIT,
    CKVM_DECODE_RESERVED_BITS,
    CKVM_DECODE_INVALID_MODE,
    CKVM_DECODE_OPERAND_NOT_IN_FIELD,
    CKVM_DECODE_JUMP_TARGET_OUT_OF_RANGE,
    CKVM_DECODE_OUT_OF_MEMORY,
} ckvm_decode_error;

/// A decoded, lowered program. Immutable after decoding; may be run from several threads.
typedef struct ckvm_program ckvm_program;

/// The header of a decoded program.
typedef struct {
    uint32_t memory_log2;
    uint32_t storage_count;
    uint32_t input_count;
    uint32_t output_count;
    uint32_t instruction_count;
} ckvm_header;

/// The outcome of a run. For a fault, `pc` is the faulting instruction.
typedef struct {
    ckvm_status status;
    uint32_t pc;
    uint64_t steps;
} ckvm_result;

/// Decodes and validates a `.kvm` file. On success stores a new program in `*program_out`
/// (release it with `ckvm_program_free`) and returns `CKVM_DECODE_OK`. On failure returns the
/// reason and, for an instruction-level reason, its index in `*bad_index` (may be NULL).
ckvm_decode_error ckvm_program_decode(
    const uint8_t *bytes, size_t length, ckvm_program **program_out, uint32_t *bad_index);

/// Releases a program from `ckvm_program_decode`; NULL is allowed.
void ckvm_program_free(ckvm_program *program);

/// The header of `program`.
ckvm_header ckvm_program_header(const ckvm_program *program);

/// Runs `program` once from the initial state of spec/VM.md section 2.
///
/// `storage` holds S values and `input` I values, each below p. On return `storage_out` holds
/// `m[0 .. S)` and `output_out` holds `m[S+I .. S+I+O)` (either may be NULL when its count
/// is 0). Returns 0 and fills `*result`, or -1 when a value is not in the field or memory
/// cannot be allocated (then nothing is written).
int ckvm_run(
    const ckvm_program *program, const uint32_t *storage, const uint32_t *input,
    uint64_t step_limit, uint32_t *storage_out, uint32_t *output_out, ckvm_result *result);

/// The C compiler that built this library (`__VERSION__`), for benchmark reports.
const char *ckvm_compiler_version(void);

#ifdef __cplusplus
}
#endif

#endif  // CKEELVM_H
