"""The standard Jupyter kernel conformance suite (jupyter_kernel_test) against the real plm4j kernel."""
import unittest

import plm4j_kernelspec  # noqa: F401  (installs the kernelspec and sets JUPYTER_PATH)
import jupyter_kernel_test


class Plm4jKernelConformanceTests(jupyter_kernel_test.KernelTests):
    kernel_name = plm4j_kernelspec.KERNEL_NAME
    language_name = "java"
    file_extension = ".jshell"

    code_hello_world = 'System.out.println("hello, world");'
    code_stderr = 'System.err.println("oops");'

    code_execute_result = [
        {"code": "6 * 7", "result": "42"},
        {"code": '"plm" + 4 + "j"', "result": "plm4j"},
        {"code": "int a = 2;\nint b = 3;\na * b", "result": "6"},
    ]
    code_display_data = [
        {"code": 'String id = display("hello display");', "mime": "text/plain"},
    ]
    code_generate_error = 'throw new IllegalStateException("expected failure");'

    completion_samples = [
        {"text": '"abc".toUpperC', "matches": {"toUpperCase("}},
    ]
    complete_code_samples = ["1 + 1", "int x = 1;", "void f() { }", "%help"]
    incomplete_code_samples = ["for (int i = 0; i < 3; i++) {", "void f() {", "int y = (1 +"]
    invalid_code_samples = ["}", "int x = ;", ")"]

    code_inspect_sample = "Math.max"
    code_page_something = "Math.max?"
    code_clear_output = 'System.out.println("soon gone");\nclearOutput();'

    supported_history_operations = ("tail", "range", "search")
    code_history_pattern = "6*7"


if __name__ == "__main__":
    unittest.main()
