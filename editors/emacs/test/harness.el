;;; harness.el --- checks and waits shared by the gw403.el batch tests  -*- lexical-binding: t; -*-

;; Loaded by e2e.el and example.el, each run as
;; emacs --batch -Q -L editors/emacs [-L eglot dirs] -l editors/emacs/test/FILE.el DIR.

(require 'cl-lib)
(require 'gw403)

(defvar e2e-passed 0)
(defvar e2e-failed 0)
(defvar e2e-timeout (string-to-number (or (getenv "GW403_TIMEOUT_S") "20")))

(defun e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n")))

(defmacro e2e-check (name &rest body)
  "Run BODY as the check NAME; an error or nil result is a failure."
  (declare (indent 1))
  `(condition-case err
       (if (progn ,@body)
           (progn (cl-incf e2e-passed) (e2e-out "ok   %s" ,name))
         (cl-incf e2e-failed) (e2e-out "FAIL %s: returned nil" ,name))
     (error (cl-incf e2e-failed) (e2e-out "FAIL %s: %s" ,name (error-message-string err)))))

(defun e2e-wait (pred)
  "Wait until PRED returns non-nil or the timeout passes; return its value."
  (let ((deadline (+ (float-time) e2e-timeout)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.05)
      (e2e-idle))
    v))

(defun e2e-idle ()
  "Act as an interactive Emacs between two commands: run the post-command
hook and the idle timers (eglot sends changes and runs deferred work from
them; batch Emacs never runs either)."
  (run-hooks 'post-command-hook)
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

;; The diagnostics of the last publishDiagnostics, as eglot received them
;; (flymake shows them from idle timers, which do not run in batch).
(defvar e2e-published nil)
(advice-add 'eglot-handle-notification :before
            (lambda (_server method &rest params)
              (when (eq method 'textDocument/publishDiagnostics)
                (setq e2e-published (append (plist-get params :diagnostics) nil)))))

(defun e2e-diags ()
  "The published gw403 diagnostics as (CODE LINE MESSAGE LSP-DIAG), LINE 1-based."
  (mapcar (lambda (d)
            (list (plist-get d :code)
                  (1+ (plist-get (plist-get (plist-get d :range) :start) :line))
                  (plist-get d :message)
                  d))
          (cl-remove-if-not (lambda (d) (equal (plist-get d :source) "gw403")) e2e-published)))

(defun e2e-find (code line)
  (cl-find-if (lambda (d) (and (equal (nth 0 d) code) (or (null line) (= (nth 1 d) line)))) (e2e-diags)))
