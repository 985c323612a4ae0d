"""The `run` command writes notebooks that nbformat accepts, with outputs like Jupyter stores them."""
import json
import os
import subprocess

import nbformat

import plm4j_kernelspec


def run_cli(*args):
    return subprocess.run(["java", "-cp", os.path.join(plm4j_kernelspec.DIST, "*"), "org.plm4j.kernel.cli.Main", *args],
                          capture_output=True, text=True, timeout=300)


def make_notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, str(path))


def test_run_executes_a_notebook_with_parameters_and_writes_valid_nbformat(tmp_path):
    src = tmp_path / "in.ipynb"
    params = nbformat.v4.new_code_cell('String name = "world";\nint times = 1;')
    params.metadata["tags"] = ["parameters"]
    make_notebook(src, [
        nbformat.v4.new_markdown_cell("# Demo"),
        params,
        nbformat.v4.new_code_cell('for (int i = 0; i < times; i++) System.out.println("hello " + name);\ntimes * 2'),
    ])
    out = tmp_path / "out.ipynb"
    r = run_cli("run", str(src), "-p", "name=Ada Lovelace", "-p", "times=2", "-o", str(out))
    assert r.returncode == 0, r.stderr
    nb = nbformat.read(str(out), as_version=4)
    nbformat.validate(nb)
    injected = nb.cells[2]
    assert injected.metadata["tags"] == ["injected-parameters"]
    assert 'name = "Ada Lovelace";' in injected.source and "times = 2;" in injected.source
    outputs = nb.cells[3].outputs
    assert outputs[0].output_type == "stream" and outputs[0].text == "hello Ada Lovelace\nhello Ada Lovelace\n"
    assert outputs[1].output_type == "execute_result" and outputs[1].data["text/plain"] == "4"
    assert outputs[1].execution_count == nb.cells[3].execution_count
    assert json.loads(src.read_text())["cells"][1].get("outputs") == []  # -o leaves the input alone


def test_run_fails_naming_the_cell_and_keeps_the_partial_notebook(tmp_path):
    src = tmp_path / "fail.ipynb"
    make_notebook(src, [nbformat.v4.new_code_cell('System.out.println("ran");'),
                        nbformat.v4.new_code_cell('throw new IllegalStateException("no corpus");'),
                        nbformat.v4.new_code_cell('System.out.println("not reached");')])
    r = run_cli("run", str(src))
    assert r.returncode == 1
    assert "Cell 1 (throw new IllegalStateException(\"no corpus\");) failed: IllegalStateException: no corpus" in r.stderr
    nb = nbformat.read(str(src), as_version=4)
    nbformat.validate(nb)
    assert nb.cells[0].outputs[0].text == "ran\n"
    assert nb.cells[1].outputs[0].output_type == "error" and nb.cells[1].outputs[0].ename == "IllegalStateException"
    assert nb.cells[2].outputs == []


def test_run_prints_a_script_outputs(tmp_path):
    script = tmp_path / "s.jsh"
    script.write_text('System.out.println("from script");\nSystem.err.println("warn");\n')
    r = run_cli("run", str(script))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "from script\n"
    assert "warn" in r.stderr


def test_install_refuses_a_java_without_jshell_and_says_what_to_install(tmp_path):
    fake = tmp_path / "java"
    fake.write_text("#!/bin/sh\necho 'java.base@11.0.2'\n")
    fake.chmod(0o755)
    r = run_cli("kernel", "install", "--jupyter-path", str(tmp_path / "jp"), "--java", str(fake))
    assert r.returncode != 0
    assert "apt-get install openjdk-17-jdk-headless" in r.stderr
    assert not (tmp_path / "jp").exists()
