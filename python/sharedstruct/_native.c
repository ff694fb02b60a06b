/*
 * The lock fast path for the Python peer, as a tiny CPython extension built from
 * c/sharedstruct.h (the same protocol code as the C peer): a with-statement on a shared lock is
 * then two C calls, not dozens of ctypes calls. sharedstruct/_build.py compiles it with the
 * machine's cc on first import; without a compiler the package falls back to pure ctypes.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>

#include <math.h>

#define SHAREDSTRUCT_IMPLEMENTATION
#include "sharedstruct.h"

/* The largest timeout, in seconds: INT64_MAX nanoseconds, rounded down (threading.TIMEOUT_MAX on Linux). */
#define TIMEOUT_MAX ((double)(INT64_MAX / 1000000000))

/* Blocking waits run in slices, the GIL released, so that Ctrl-C is noticed between them; a
   slice is longer than the reused-pid grace, which a waiter must observe in one go. */
#define SLICE_NS INT64_C(2000000000)

typedef struct {
    PyObject_HEAD
    ss_lock_t lock;
    PyObject *keep;           /* what keeps the mapping alive */
    PyObject *what;           /* what the lock belongs to, for the error once its block is freed */
    char previous_owner_died; /* of the latest acquisition */
} NativeLock;

/* The exception for a lock whose block was freed: lock.py's LockFreedError (set_freed_error). */
static PyObject *freed_error;

/*
 * NativeLock(address, keep=None, generation=0, what=None, start_word=0, start_bit=0): generation
 * is that of the block whose payload starts with the cell (0: a cell that is never freed, not
 * checked); start_word and start_bit, the block's bit in the block-start map (0: not checked); the
 * caller found them in a checked block of a mapping that keep keeps alive.
 */
static int NativeLock_init(NativeLock *self, PyObject *args, PyObject *kwargs) {
    unsigned long long address;
    PyObject *keep = Py_None;
    long long generation = 0;
    PyObject *what = Py_None;
    unsigned long long start_word = 0;
    unsigned long long start_bit = 0;
    if (!PyArg_ParseTuple(args, "K|OLOKK", &address, &keep, &generation, &what, &start_word, &start_bit)) {
        return -1;
    }
    if (start_word % 8 != 0) {
        PyErr_Format(PyExc_ValueError, "block-start word address %llu is not 8-byte aligned", start_word);
        return -1;
    }
    if (address == 0 || address % 8 != 0) {
        PyErr_Format(PyExc_ValueError, "lock cell address %llu is not an 8-byte aligned address", address);
        return -1;
    }
    if (generation < 0 || (generation != 0 && address < SS_BLOCK_HEADER)) {
        PyErr_Format(PyExc_ValueError, "generation %lld of the lock cell at %llu is not a block's", generation, address);
        return -1;
    }
    (void)kwargs;
    self->lock.cell = (unsigned char *)(uintptr_t)address;
    self->lock.generation = (int64_t)generation;
    self->lock.start_word = (const unsigned char *)(uintptr_t)start_word;
    self->lock.start_bit = (uint64_t)start_bit;
    Py_XSETREF(self->keep, Py_NewRef(keep));
    Py_XSETREF(self->what, Py_NewRef(what));
    return 0;
}

static void NativeLock_dealloc(NativeLock *self) {
    Py_XDECREF(self->keep);
    Py_XDECREF(self->what);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Sets the error for a lock whose block was freed; returns -1. */
static int raise_freed(NativeLock *self) {
    PyObject *type = freed_error != NULL ? freed_error : PyExc_RuntimeError;
    if (self->what != NULL && self->what != Py_None) {
        PyErr_Format(type, "%S was freed by another process; its memory may belong to another object now, "
                "so the lock was not taken and is not touched (find the name again)", self->what);
    } else {
        PyErr_Format(type, "the lock cell at address %llu was freed by another process; its memory may belong to "
                "another object now, so the lock was not taken and is not touched",
                (unsigned long long)(uintptr_t)self->lock.cell);
    }
    return -1;
}

/* The calling thread holds the lock, re-entered INT32_MAX times already: not re-entered again. Returns -1. */
static int raise_too_many_holds(void) {
    PyErr_SetString(PyExc_OverflowError, "maximum lock count exceeded: this thread holds the lock with 2147483647"
            " re-entries recorded in extra_holds already (or a corrupt count that reads so); not acquired again,"
            " the holds are unchanged");
    return -1;
}

/* 1 acquired, 0 timed out, -1 with an exception set (LockFreedError when the block was freed). */
static int do_acquire(NativeLock *self, int blocking, double timeout) {
    int result = ss_timed_lock(&self->lock, 0);
    if (result == SS_FREED) {
        return raise_freed(self);
    }
    if (result == SS_TOO_MANY_HOLDS) {
        return raise_too_many_holds();
    }
    if (result == SS_TIMED_OUT && blocking && timeout != 0) {
        /* timeout is at most TIMEOUT_MAX (NativeLock_acquire), so the product fits; the sum may not. */
        int64_t now = ss__now(), nanos = (int64_t)(timeout * 1e9);
        int64_t deadline = timeout < 0 || nanos > INT64_MAX - now ? -1 : now + nanos;
        for (;;) {
            int64_t slice = SLICE_NS;
            if (deadline >= 0) {
                int64_t left = deadline - ss__now();
                if (left <= 0) {
                    break;
                }
                slice = left < slice ? left : slice;
            }
            Py_BEGIN_ALLOW_THREADS
            result = ss_timed_lock(&self->lock, slice);
            Py_END_ALLOW_THREADS
            if (result != SS_TIMED_OUT || PyErr_CheckSignals() != 0) {
                break;
            }
        }
        if (PyErr_Occurred()) {
            if (result == SS_ACQUIRED || result == SS_OWNER_DIED) {
                ss_unlock(&self->lock);
            }
            return -1;
        }
        if (result == SS_FREED) {
            return raise_freed(self);
        }
    }
    if (result == SS_TIMED_OUT) {
        return 0;
    }
    self->previous_owner_died = result == SS_OWNER_DIED;
    return 1;
}

static PyObject *NativeLock_acquire(NativeLock *self, PyObject *args, PyObject *kwargs) {
    static char *names[] = {"blocking", "timeout", NULL};
    int blocking = 1;
    PyObject *timeout_object = Py_None;
    if (!PyArg_ParseTupleAndKeywords(args, kwargs, "|pO", names, &blocking, &timeout_object)) {
        return NULL;
    }
    double timeout = -1;
    if (timeout_object != Py_None) {
        timeout = PyFloat_AsDouble(timeout_object);
        if (timeout == -1 && PyErr_Occurred()) {
            return NULL;
        }
        /* As threading.Lock.acquire, and lock.py's check_timeout: NaN (which no comparison catches) made a
           deadline of an undefined conversion, and the wait never ended. */
        if (isnan(timeout) || (timeout < 0 && timeout != -1)) {
            PyErr_Format(PyExc_ValueError, "timeout must be -1, None or a non-negative number of seconds, not %R",
                    timeout_object);
            return NULL;
        }
        if (timeout > TIMEOUT_MAX) {
            PyErr_Format(PyExc_OverflowError, "timeout %R is too large (at most %lld seconds, or -1 or None: no limit)",
                    timeout_object, (long long)TIMEOUT_MAX);
            return NULL;
        }
        if (!blocking && timeout != -1) {
            PyErr_SetString(PyExc_ValueError, "can't specify a timeout for a non-blocking call");
            return NULL;
        }
    }
    int acquired = do_acquire(self, blocking, timeout);
    if (acquired < 0) {
        return NULL;
    }
    return PyBool_FromLong(acquired);
}

static PyObject *release_or_raise(NativeLock *self) {
    if (ss_unlock(&self->lock) != SS_ACQUIRED) {
        int64_t word = atomic_load(ss__owner(&self->lock));
        int64_t owner = word & ~SS_LOCK_HANDOFF;
        int64_t me = ss_thread_token();
        if (word == ss__free_word(&self->lock) || word == SS_LOCK_RESERVED) {
            PyErr_Format(PyExc_RuntimeError, "release by process %lld thread %lld, but the lock is held by nobody",
                    (long long)(me >> 32), (long long)(me & 0x7fffffff));
        } else {
            PyErr_Format(PyExc_RuntimeError, "release by process %lld thread %lld, but the lock is held by process %lld thread %lld",
                    (long long)(me >> 32), (long long)(me & 0x7fffffff), (long long)((uint64_t)owner >> 32),
                    (long long)(owner & 0x7fffffff));
        }
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *NativeLock_release(NativeLock *self, PyObject *ignored) {
    (void)ignored;
    return release_or_raise(self);
}

static PyObject *NativeLock_enter(NativeLock *self, PyObject *ignored) {
    (void)ignored;
    if (do_acquire(self, 1, -1) < 0) {
        return NULL;
    }
    return Py_NewRef((PyObject *)self);
}

static PyObject *NativeLock_exit(NativeLock *self, PyObject *const *args, Py_ssize_t nargs) {
    (void)args;
    (void)nargs;
    return release_or_raise(self);
}

static PyObject *NativeLock_owned(NativeLock *self, PyObject *ignored) {
    (void)ignored;
    /* Bit 31 is a waiter's hand-off request, not part of the owner's token. */
    return PyBool_FromLong((atomic_load(ss__owner(&self->lock)) & ~SS_LOCK_HANDOFF) == ss_thread_token());
}

static PyMethodDef NativeLock_methods[] = {
    {"acquire", (PyCFunction)(void (*)(void))NativeLock_acquire, METH_VARARGS | METH_KEYWORDS,
            "acquire(blocking=True, timeout=-1) -> bool"},
    {"release", (PyCFunction)NativeLock_release, METH_NOARGS, "release one hold"},
    {"__enter__", (PyCFunction)NativeLock_enter, METH_NOARGS, NULL},
    {"__exit__", (PyCFunction)(void (*)(void))NativeLock_exit, METH_FASTCALL, NULL},
    {"is_owned", (PyCFunction)NativeLock_owned, METH_NOARGS, "whether the calling thread holds the lock"},
    {NULL, NULL, 0, NULL},
};

static PyMemberDef NativeLock_members[] = {
    {"previous_owner_died", T_BOOL, offsetof(NativeLock, previous_owner_died), READONLY,
            "whether the latest acquisition took the lock over from an owner whose process died"},
    {NULL, 0, 0, 0, NULL},
};

static PyTypeObject NativeLockType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sharedstruct._native.NativeLock",
    .tp_basicsize = sizeof(NativeLock),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A sharedstruct lock cell, taken with the SharedLock protocol (c/sharedstruct.h).",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)NativeLock_init,
    .tp_dealloc = (destructor)NativeLock_dealloc,
    .tp_methods = NativeLock_methods,
    .tp_members = NativeLock_members,
};

/*
 * A scalar field of a synchronized view, as a data descriptor: reads and writes
 * instance._raw.<name> under instance._lock (re-entrant), all in C, so that
 * `with c.get_lock(): c.count += 1` runs no Python frame of ours. A lock that is not a
 * NativeLock (a raw object's) is not taken.
 */
typedef struct {
    PyObject_HEAD
    PyObject *name;
} LockedField;

static PyObject *str_lock, *str_raw;

static int LockedField_init(LockedField *self, PyObject *args, PyObject *kwargs) {
    PyObject *name;
    (void)kwargs;
    if (!PyArg_ParseTuple(args, "U", &name)) {
        return -1;
    }
    Py_XSETREF(self->name, Py_NewRef(name));
    return 0;
}

static void LockedField_dealloc(LockedField *self) {
    Py_XDECREF(self->name);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

/* Takes instance._lock if it is native; returns the lock (a new reference) or NULL with an exception. */
static PyObject *take(PyObject *instance, NativeLock **native) {
    PyObject *lock = PyObject_GetAttr(instance, str_lock);
    if (lock == NULL) {
        return NULL;
    }
    *native = Py_IS_TYPE(lock, &NativeLockType) ? (NativeLock *)lock : NULL;
    if (*native != NULL && do_acquire(*native, 1, -1) < 0) {
        *native = NULL; /* not taken: nothing to release */
        Py_DECREF(lock);
        return NULL;
    }
    return lock;
}

/*
 * Reads (value NULL) or writes the field on instance._raw under instance._lock: the one body of
 * the descriptor's get and set. Returns the value read, Py_None after a write, or NULL with an
 * exception set.
 */
static PyObject *locked_access(LockedField *self, PyObject *instance, PyObject *value) {
    PyObject *raw = PyObject_GetAttr(instance, str_raw);
    if (raw == NULL) {
        return NULL;
    }
    NativeLock *native = NULL; /* stays NULL when instance._lock cannot be read */
    PyObject *lock = take(instance, &native);
    PyObject *result = NULL;
    if (lock != NULL) {
        if (value == NULL) {
            result = PyObject_GetAttr(raw, self->name);
        } else if (PyObject_SetAttr(raw, self->name, value) == 0) {
            result = Py_NewRef(Py_None);
        }
    }
    if (native != NULL) {
        ss_unlock(&native->lock);
    }
    Py_XDECREF(lock);
    Py_DECREF(raw);
    return result;
}

static PyObject *LockedField_get(LockedField *self, PyObject *instance, PyObject *owner) {
    (void)owner;
    if (instance == NULL || instance == Py_None) {
        return Py_NewRef((PyObject *)self);
    }
    return locked_access(self, instance, NULL);
}

static int LockedField_set(LockedField *self, PyObject *instance, PyObject *value) {
    if (value == NULL) {
        PyErr_Format(PyExc_AttributeError, "field %U cannot be deleted", self->name);
        return -1;
    }
    PyObject *done = locked_access(self, instance, value);
    Py_XDECREF(done);
    return done == NULL ? -1 : 0;
}

static PyTypeObject LockedFieldType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "sharedstruct._native.LockedField",
    .tp_basicsize = sizeof(LockedField),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "A scalar field read and written under its object's lock.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)LockedField_init,
    .tp_dealloc = (destructor)LockedField_dealloc,
    .tp_descr_get = (descrgetfunc)LockedField_get,
    .tp_descr_set = (descrsetfunc)LockedField_set,
};

static PyObject *thread_token(PyObject *module, PyObject *ignored) {
    (void)module;
    (void)ignored;
    return PyLong_FromLongLong(ss_thread_token());
}

static PyObject *set_freed_error(PyObject *module, PyObject *type) {
    (void)module;
    if (!PyExceptionClass_Check(type)) {
        PyErr_SetString(PyExc_TypeError, "set_freed_error takes an exception class");
        return NULL;
    }
    Py_XSETREF(freed_error, Py_NewRef(type));
    Py_RETURN_NONE;
}

static PyMethodDef module_methods[] = {
    {"thread_token", thread_token, METH_NOARGS, "process id << 32 | thread id"},
    {"set_freed_error", set_freed_error, METH_O, "the exception class for a lock whose block was freed"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_native", NULL, -1, module_methods, NULL, NULL, NULL, NULL};

PyMODINIT_FUNC PyInit__native(void) {
    if (PyType_Ready(&NativeLockType) < 0 || PyType_Ready(&LockedFieldType) < 0) {
        return NULL;
    }
    str_lock = PyUnicode_InternFromString("_lock");
    str_raw = PyUnicode_InternFromString("_raw");
    if (str_lock == NULL || str_raw == NULL) {
        return NULL;
    }
    PyObject *m = PyModule_Create(&module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddObjectRef(m, "NativeLock", (PyObject *)&NativeLockType) < 0
            || PyModule_AddObjectRef(m, "LockedField", (PyObject *)&LockedFieldType) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
