;;; e2e.el --- headless end-to-end test of gw403.el with eglot  -*- lexical-binding: t; -*-

;; usage: GW403_BIN=/path/to/gw403-lsp emacs --batch -Q -L editors/emacs \
;;          [-L dirs of eglot and its deps] -l editors/emacs/test/e2e.el WORKSPACE
;; Prints one line per check and "emacs: N passed, N failed"; exits 1 on a failure.

(load (expand-file-name "harness.el" (file-name-directory load-file-name)) nil t)

(defun e2e-line-of (text)
  (save-excursion
    (goto-char (point-min))
    (if (search-forward-regexp (concat "^" (regexp-quote text) "$") nil t)
        (line-number-at-pos)
      (error "line not found: %s" text))))

(let* ((ws (file-name-as-directory (expand-file-name (car command-line-args-left))))
       (bin (or (getenv "GW403_BIN") (error "set GW403_BIN")))
       (list-orders "GET {{baseUrl}}/orders?status=未発送")
       server)
  (setq command-line-args-left nil)
  (setq gw403-program (list bin "serve"))
  (setq gw403-environment "dev")
  (setq-default eglot-workspace-configuration (list :gw403 (list :environment "dev")))
  (find-file (expand-file-name "requests.http" ws))

  (e2e-check "requests.http opens in gw403-http-mode"
    (eq major-mode 'gw403-http-mode))

  (e2e-check "eglot connects to gw403-lsp"
    (apply #'eglot (eglot--guess-contact))
    (setq server (e2e-wait #'eglot-current-server)))

  (e2e-check "GW101 on the request without x-api-key"
    (let ((line (e2e-line-of list-orders)))
      ;; The first check may run before the environment (dev) is known and
      ;; report every environment; wait for the dev-only result.
      (or (e2e-wait (lambda () (and (e2e-find "GW101" line) (not (e2e-find "GW141" line)))))
          (error "no GW101 on line %d; saw %S" line (mapcar #'butlast (e2e-diags))))))

  (e2e-check "quick fix \"Add x-api-key header\" inserts the header and clears GW101"
    (let* ((line (e2e-line-of list-orders))
           (pos (save-excursion (goto-char (point-min)) (forward-line (1- line)) (point)))
           (actions (jsonrpc-request
                     server :textDocument/codeAction
                     (list :textDocument (eglot--TextDocumentIdentifier)
                           :range (list :start (eglot--pos-to-lsp-position pos)
                                        :end (eglot--pos-to-lsp-position pos))
                           :context (list :diagnostics
                                          (vconcat (cl-loop for d in (e2e-diags)
                                                            when (= (nth 1 d) line) collect (nth 3 d)))))))
           (action (cl-find-if (lambda (a) (equal (plist-get a :title) "Add x-api-key header"))
                               (append actions nil))))
      (unless action
        (error "no \"Add x-api-key header\" among %S" (mapcar (lambda (a) (plist-get a :title)) actions)))
      (eglot--apply-workspace-edit (plist-get action :edit))
      (let ((got (save-excursion
                   (goto-char pos)
                   (buffer-substring-no-properties pos (progn (forward-line 3) (point)))))
            (want (concat list-orders "\nAccept: application/json\nx-api-key: {{apiKey}}\n")))
        (unless (equal got want) (error "buffer after fix: %S, want %S" got want)))
      (or (e2e-wait (lambda () (and (not (e2e-find "GW101" nil)) (e2e-diags) t)))
          (error "GW101 still reported: %S" (mapcar #'butlast (e2e-diags))))))

  (e2e-check "gw403-set-environment prod reports GW141 on {{baseUrl}} requests"
    (gw403-set-environment "prod")
    (let ((line (e2e-line-of "POST {{baseUrl}}/orders")))
      (or (e2e-wait (lambda () (e2e-find "GW141" line)))
          (error "no GW141 on line %d; saw %S" line (mapcar #'butlast (e2e-diags))))))

  (e2e-check "eglot shuts the server down"
    (eglot-shutdown server)
    (not (jsonrpc-running-p server)))

  (e2e-out "emacs: %d passed, %d failed" e2e-passed e2e-failed)
  (kill-emacs (if (= e2e-failed 0) 0 1)))
