// A C interpreter of the Keel VM (spec/VM.md sections 2 to 6); see include/ckeelvm.h.
//
// Written the way one would write a fast, exact interpreter in C: the program is decoded and
// validated once, then lowered into 16-byte instructions whose operation code already encodes
// the operand modes (so the hot loop dispatches once per instruction, never per operand), and
// a run is a single `switch` loop over a `calloc`ed memory of 2^L cells with every address
// checked. It mirrors the Swift `Interpreter` loop on purpose, so the two can be compared.
#include "ckeelvm.h"

#include <stdlib.h>
#include <string.h>

// KoalaBear, p = 2^31 - 2^24 + 1 (spec/VM.md section 1). A literal, so `% P` is a multiply.
#define P 2130706433u

enum {
    HEADER_BYTES = 24,
    INSTRUCTION_BYTES = 16,
    MEMORY_LOG2_MIN = 4,
    MEMORY_LOG2_MAX = 24,
    INSTRUCTION_COUNT_MAX = 1u << 20,
};

enum { MODE_IMM = 0, MODE_REG = 1, MODE_FPO = 2 };
enum { OPCODE_ADD = 0, OPCODE_MUL = 1, OPCODE_DEREF = 2, OPCODE_JUMP = 3 };

// Lowered operations. ADD and MUL sources are put in the canonical order reg, fpo, imm (both
// are commutative and both sources are read before any write, so the order cannot matter).
enum {
    OP_ADD_RR, OP_ADD_RF, OP_ADD_RI, OP_ADD_FF, OP_ADD_FI, OP_ADD_II,
    OP_MUL_RR, OP_MUL_RF, OP_MUL_RI, OP_MUL_FF, OP_MUL_FI, OP_MUL_II,
    OP_LOAD,
    OP_STORE_I, OP_STORE_R, OP_STORE_F,
    // OP_JUMP_<condition><target><frame>
    OP_JUMP_IIR, OP_JUMP_IIF, OP_JUMP_IRR, OP_JUMP_IRF,
    OP_JUMP_RIR, OP_JUMP_RIF, OP_JUMP_RRR, OP_JUMP_RRF,
};

typedef struct {
    uint32_t op;
    uint32_t a, b, c;
} lowered_instruction;

struct ckvm_program {
    ckvm_header header;
    lowered_instruction *code;
};

static uint32_t read_word(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int source_rank(uint32_t mode) {
    return mode == MODE_REG ? 0 : mode == MODE_FPO ? 1 : 2;
}

// The lowered operation of ADD/MUL with canonically ordered source modes x <= y (by rank).
static uint32_t binary_op(int is_add, uint32_t x, uint32_t y) {
    uint32_t base = is_add ? OP_ADD_RR : OP_MUL_RR;
    int rx = source_rank(x), ry = source_rank(y);
    // (0,0) (0,1) (0,2) (1,1) (1,2) (2,2) -> 0 .. 5
    static const uint32_t index[3][3] = {{0, 1, 2}, {1, 3, 4}, {2, 4, 5}};
    return base + index[rx][ry];
}

// Checks one instruction's modes and operands (spec/VM.md sections 4 and 6) and lowers it.
static ckvm_decode_error lower(const uint8_t *p, uint32_t n, lowered_instruction *out) {
    uint32_t word0 = read_word(p);
    if (word0 >> 9) return CKVM_DECODE_RESERVED_BITS;
    uint32_t opcode = word0 & 3, m1 = (word0 >> 2) & 3, m2 = (word0 >> 4) & 3, m3 = (word0 >> 6) & 3;
    int is_store = (word0 >> 8) & 1;
    uint32_t o1 = read_word(p + 4), o2 = read_word(p + 8), o3 = read_word(p + 12);
    if (m1 == 3 || m2 == 3 || m3 == 3) return CKVM_DECODE_INVALID_MODE;
    if (o1 >= P || o2 >= P || o3 >= P) return CKVM_DECODE_OPERAND_NOT_IN_FIELD;
    if (is_store && opcode != OPCODE_DEREF) return CKVM_DECODE_RESERVED_BITS;
    out->a = o1;
    out->b = o2;
    out->c = o3;
    switch (opcode) {
    case OPCODE_ADD:
    case OPCODE_MUL:
        if (m1 != MODE_REG) return CKVM_DECODE_INVALID_MODE;
        if (source_rank(m3) < source_rank(m2)) {
            uint32_t t = m2; m2 = m3; m3 = t;
            out->b = o3;
            out->c = o2;
        }
        out->op = binary_op(opcode == OPCODE_ADD, m2, m3);
        return CKVM_DECODE_OK;
    case OPCODE_DEREF:
        if (is_store) {
            if (m1 != MODE_REG || m2 != MODE_IMM) return CKVM_DECODE_INVALID_MODE;
            out->op = m3 == MODE_IMM ? OP_STORE_I : m3 == MODE_REG ? OP_STORE_R : OP_STORE_F;
        } else {
            if (m1 != MODE_REG || m2 != MODE_REG || m3 != MODE_IMM) return CKVM_DECODE_INVALID_MODE;
            out->op = OP_LOAD;
        }
        return CKVM_DECODE_OK;
    default:  // OPCODE_JUMP
        if (m1 == MODE_FPO || m2 == MODE_FPO || m3 == MODE_IMM) return CKVM_DECODE_INVALID_MODE;
        if (m2 == MODE_IMM && o2 > n) return CKVM_DECODE_JUMP_TARGET_OUT_OF_RANGE;
        out->op = OP_JUMP_IIR + (m1 == MODE_REG) * 4 + (m2 == MODE_REG) * 2 + (m3 == MODE_FPO);
        return CKVM_DECODE_OK;
    }
}

ckvm_decode_error ckvm_program_decode(
    const uint8_t *bytes, size_t length, ckvm_program **program_out, uint32_t *bad_index) {
    *program_out = NULL;
    if (length < HEADER_BYTES) return CKVM_DECODE_TRUNCATED_HEADER;
    if (memcmp(bytes, "KEEL", 4) != 0) return CKVM_DECODE_BAD_MAGIC;
    if (bytes[4] != 1) return CKVM_DECODE_UNSUPPORTED_VERSION;
    uint32_t memory_log2 = bytes[5];
    if (memory_log2 < MEMORY_LOG2_MIN || memory_log2 > MEMORY_LOG2_MAX) {
        return CKVM_DECODE_MEMORY_LOG2_OUT_OF_RANGE;
    }
    if (bytes[6] != 0 || bytes[7] != 0) return CKVM_DECODE_RESERVED_HEADER_BYTES;
    uint32_t n = read_word(bytes + 20);
    if (n > INSTRUCTION_COUNT_MAX) return CKVM_DECODE_TOO_MANY_INSTRUCTIONS;
    if ((uint64_t)length != (uint64_t)HEADER_BYTES + (uint64_t)INSTRUCTION_BYTES * n) {
        return CKVM_DECODE_LENGTH_MISMATCH;
    }
    ckvm_header header = {
        .memory_log2 = memory_log2,
        .storage_count = read_word(bytes + 8),
        .input_count = read_word(bytes + 12),
        .output_count = read_word(bytes + 16),
        .instruction_count = n,
    };
    uint64_t total = (uint64_t)header.storage_count + header.input_count + header.output_count;
    if (total > (1ull << memory_log2)) return CKVM_DECODE_COUNTS_DO_NOT_FIT;

    ckvm_program *program = malloc(sizeof *program);
    // One spare element, so an empty program still has a valid pointer.
    lowered_instruction *code = malloc(sizeof *code * ((size_t)n + 1));
    if (program == NULL || code == NULL) {
        free(program);
        free(code);
        return CKVM_DECODE_OUT_OF_MEMORY;
    }
    for (uint32_t index = 0; index < n; index++) {
        ckvm_decode_error error = lower(bytes + HEADER_BYTES + (size_t)INSTRUCTION_BYTES * index, n, &code[index]);
        if (error != CKVM_DECODE_OK) {
            if (bad_index) *bad_index = index;
            free(program);
            free(code);
            return error;
        }
    }
    program->header = header;
    program->code = code;
    *program_out = program;
    return CKVM_DECODE_OK;
}

void ckvm_program_free(ckvm_program *program) {
    if (program == NULL) return;
    free(program->code);
    free(program);
}

ckvm_header ckvm_program_header(const ckvm_program *program) { return program->header; }

const char *ckvm_compiler_version(void) { return __VERSION__; }

// MARK: - The loop

static inline uint32_t add_p(uint32_t x, uint32_t y) {
    uint32_t sum = x + y;  // x, y < p < 2^31: no wrap
    return sum >= P ? sum - P : sum;
}

static inline uint32_t mul_p(uint32_t x, uint32_t y) {
    return (uint32_t)(((uint64_t)x * y) % P);
}

// Stops the run: the faulting instruction has written nothing, and pc and steps are its own.
// Each fault returns where it happens. (With `goto` to shared fault labels after the loop, clang
// merged the exits into a flag that every instruction then tested: 5-25% slower.)
#define FAULT(status) return (ckvm_result){(status), pc, steps}

// Operand readers: each declares `v` as the operand's value (spec/VM.md section 3).
// fp < 2^24 and k < 2^31, so fp + k never wraps.
#define IMM(v, k) const uint32_t v = (k);
#define REG(v, k)                                                                     \
    const uint32_t v##_address = fp + (k);                                            \
    if (v##_address >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);                  \
    const uint32_t v = m[v##_address];
#define FPO(v, k)                                                                     \
    const uint32_t v##_sum = fp + (k);                                                \
    const uint32_t v = v##_sum >= P ? v##_sum - P : v##_sum;
// A JUMP frame in fpo mode is fp + k as an integer, not reduced (spec/VM.md section 4).
#define FRAME_FPO(v, k) const uint32_t v = fp + (k);

#define BINARY(OP, X, Y, F)                                                           \
    case OP: {                                                                        \
        const uint32_t d = fp + i->a;                                                 \
        if (d >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);                        \
        X(x, i->b)                                                                    \
        Y(y, i->c)                                                                    \
        m[d] = F(x, y);                                                               \
        pc++;                                                                         \
        break;                                                                        \
    }

#define STORE(OP, V)                                                                  \
    case OP: {                                                                        \
        const uint32_t base = fp + i->a;                                              \
        if (base >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);                     \
        V(value, i->c)                                                                \
        const uint32_t address = m[base] + i->b;                                      \
        if (address >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);                  \
        m[address] = value;                                                           \
        pc++;                                                                         \
        break;                                                                        \
    }

// T and F are read only when the jump is taken; then the checks run in spec order.
#define JUMP(OP, C, T, F)                                                             \
    case OP: {                                                                        \
        C(condition, i->a)                                                            \
        if (condition == 0) {                                                         \
            pc++;                                                                     \
            break;                                                                    \
        }                                                                             \
        T(target, i->b)                                                               \
        F(frame, i->c)                                                                \
        if (target > n) FAULT(CKVM_JUMP_OUT_OF_BOUNDS);                               \
        if (frame >= cell_count) FAULT(CKVM_FRAME_OUT_OF_BOUNDS);                     \
        pc = target;                                                                  \
        fp = frame;                                                                   \
        break;                                                                        \
    }

// Not inlined into `ckvm_run`: on its own the loop keeps n and M in registers (about 10% faster).
__attribute__((noinline)) static ckvm_result execute(
    const lowered_instruction *restrict code, uint32_t n,
    uint32_t *restrict m, uint32_t cell_count, uint64_t step_limit) {
    uint32_t pc = 0;
    uint32_t fp = 0;
    uint64_t steps = 0;
    for (;;) {
        // Invariant: pc <= n (jump targets are checked) and fp < M (frames are checked).
        if (pc == n) return (ckvm_result){CKVM_HALTED, pc, steps};
        if (steps == step_limit) return (ckvm_result){CKVM_STEP_LIMIT, pc, steps};
        const lowered_instruction *i = &code[pc];
        switch (i->op) {
            BINARY(OP_ADD_RR, REG, REG, add_p)
            BINARY(OP_ADD_RF, REG, FPO, add_p)
            BINARY(OP_ADD_RI, REG, IMM, add_p)
            BINARY(OP_ADD_FF, FPO, FPO, add_p)
            BINARY(OP_ADD_FI, FPO, IMM, add_p)
            BINARY(OP_ADD_II, IMM, IMM, add_p)
            BINARY(OP_MUL_RR, REG, REG, mul_p)
            BINARY(OP_MUL_RF, REG, FPO, mul_p)
            BINARY(OP_MUL_RI, REG, IMM, mul_p)
            BINARY(OP_MUL_FF, FPO, FPO, mul_p)
            BINARY(OP_MUL_FI, FPO, IMM, mul_p)
            BINARY(OP_MUL_II, IMM, IMM, mul_p)
            case OP_LOAD: {
                const uint32_t d = fp + i->a;
                const uint32_t base = fp + i->b;
                if (d >= cell_count || base >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);
                const uint32_t address = m[base] + i->c;  // m[..] < p and k < p: below 2^32
                if (address >= cell_count) FAULT(CKVM_MEMORY_OUT_OF_BOUNDS);
                m[d] = m[address];
                pc++;
                break;
            }
            STORE(OP_STORE_I, IMM)
            STORE(OP_STORE_R, REG)
            STORE(OP_STORE_F, FPO)
            JUMP(OP_JUMP_IIR, IMM, IMM, REG)
            JUMP(OP_JUMP_IIF, IMM, IMM, FRAME_FPO)
            JUMP(OP_JUMP_IRR, IMM, REG, REG)
            JUMP(OP_JUMP_IRF, IMM, REG, FRAME_FPO)
            JUMP(OP_JUMP_RIR, REG, IMM, REG)
            JUMP(OP_JUMP_RIF, REG, IMM, FRAME_FPO)
            JUMP(OP_JUMP_RRR, REG, REG, REG)
            JUMP(OP_JUMP_RRF, REG, REG, FRAME_FPO)
            default:
                __builtin_unreachable();  // the decoder emits only the operations above
        }
        steps++;
    }
}

int ckvm_run(
    const ckvm_program *program, const uint32_t *storage, const uint32_t *input,
    uint64_t step_limit, uint32_t *storage_out, uint32_t *output_out, ckvm_result *result) {
    const ckvm_header h = program->header;
    for (uint32_t k = 0; k < h.storage_count; k++) if (storage[k] >= P) return -1;
    for (uint32_t k = 0; k < h.input_count; k++) if (input[k] >= P) return -1;
    const uint32_t cell_count = 1u << h.memory_log2;
    uint32_t *m = calloc(cell_count, sizeof *m);
    if (m == NULL) return -1;
    if (h.storage_count) memcpy(m, storage, sizeof *m * h.storage_count);
    if (h.input_count) memcpy(m + h.storage_count, input, sizeof *m * h.input_count);
    *result = execute(program->code, h.instruction_count, m, cell_count, step_limit);
    if (h.storage_count) memcpy(storage_out, m, sizeof *m * h.storage_count);
    if (h.output_count) {
        memcpy(output_out, m + h.storage_count + h.input_count, sizeof *m * h.output_count);
    }
    free(m);
    return 0;
}
