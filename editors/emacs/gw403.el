;;; gw403.el --- gw403-lsp through eglot  -*- lexical-binding: t; -*-

;; gw403-lsp finds Amazon API Gateway 403 causes in .http/.rest request files
;; and in SAM / CloudFormation / OpenAPI files.
;;
;; Usage (Emacs 29+ with eglot built in, or Emacs 28 with the eglot package;
;; gw403-lsp on PATH):
;;   (add-to-list 'load-path "/path/to/gw403-lsp/editors/emacs")
;;   (require 'gw403)
;;   (add-hook 'gw403-http-mode-hook #'eglot-ensure)
;; Switch the environment used for {{variables}}: M-x gw403-set-environment.

;;; Code:

(require 'cl-lib)
(require 'eglot)
(require 'jsonrpc)
(require 'project)

(defgroup gw403 nil
  "API Gateway 403 checks with gw403-lsp."
  :group 'tools)

(defcustom gw403-program '("gw403-lsp" "serve")
  "Command that starts the gw403 language server."
  :type '(repeat string))

(defcustom gw403-environment ""
  "Environment for {{variables}}; empty means every environment."
  :type 'string)

;; A small major mode for request files when no other one (restclient-mode,
;; verb, kulala) is wanted: comments only.
(define-derived-mode gw403-http-mode prog-mode "HTTP"
  "Major mode for .http / .rest request files."
  (setq-local comment-start "# ")
  (setq-local comment-start-skip "\\(#+\\|//+\\)\\s-*"))

(add-to-list 'auto-mode-alist '("\\.\\(http\\|rest\\)\\'" . gw403-http-mode))

(add-to-list 'eglot-server-programs
             `((gw403-http-mode restclient-mode) . ,(lambda (&rest _) gw403-program)))

;; The project root of request files: the nearest folder with a .gw403.yaml,
;; else a .git, else the top-most folder with a project marker, else the
;; file's folder. Without it, a request file outside a git repository gets
;; its own folder (requests/) as root; the server applies the same rule per
;; file whatever root it is sent, and this keeps one server per project.
(defconst gw403-project-markers
  '("template.yaml" "template.yml" "serverless.yml" "serverless.yaml"
    "cdk.json" "samconfig.toml")
  "Files that mark a project folder (with *.tf).")

(defun gw403--marked-p (dir)
  "Non-nil when DIR holds a project marker."
  (or (cl-some (lambda (m) (file-exists-p (expand-file-name m dir))) gw403-project-markers)
      (directory-files dir nil "\\.tf\\'" t)))

(defun gw403-root (path)
  "Return the workspace root of PATH by gw403's root rule."
  (let* ((start (file-name-as-directory
                 (expand-file-name (if (file-directory-p path) path (file-name-directory path)))))
         (found (or (locate-dominating-file start ".gw403.yaml")
                    (locate-dominating-file start ".gw403.yml")
                    (locate-dominating-file start ".git")))
         top)
    (unless found
      (let ((dir start) parent)
        (while dir
          (when (gw403--marked-p dir) (setq top dir))
          (setq parent (file-name-directory (directory-file-name dir)))
          (setq dir (unless (equal parent dir) parent)))))
    (file-name-as-directory (or found top start))))

(defun gw403-project-find (dir)
  "Find the project of request file buffers by `gw403-root' (for eglot)."
  (when (and (derived-mode-p 'gw403-http-mode 'restclient-mode) buffer-file-name)
    (cons 'transient (gw403-root (or buffer-file-name dir)))))

(add-hook 'project-find-functions #'gw403-project-find)

;; Answered to workspace/configuration and sent on changes.
(setq-default eglot-workspace-configuration
              (plist-put (default-value 'eglot-workspace-configuration)
                         :gw403 (list :environment gw403-environment)))

(defun gw403--uri (path)
  "Return the file URI of PATH."
  (if (fboundp 'eglot-path-to-uri)
      (eglot-path-to-uri path)
    (with-no-warnings (eglot--path-to-uri path))))

(defun gw403-set-environment (name)
  "Check requests with environment NAME (empty: every environment)."
  (interactive
   (let* ((server (eglot-current-server))
          (res (and server
                    (jsonrpc-request server :workspace/executeCommand
                                     (list :command "gw403.listEnvironments"
                                           :arguments (vector (gw403--uri (buffer-file-name)))))))
          ;; {"environments": [...], "current": "..."}
          (names (plist-get res :environments)))
     (list (completing-read "gw403 environment: " (append names nil)))))
  (setq gw403-environment name)
  (setq-default eglot-workspace-configuration
                (plist-put (default-value 'eglot-workspace-configuration)
                           :gw403 (list :environment name)))
  (let ((server (eglot-current-server)))
    (when server
      ;; Asynchronous: the server re-checks and publishes right after its
      ;; reply, and a synchronous request can leave that notification
      ;; unread until the next message arrives (jsonrpc 1.0.x).
      (jsonrpc-async-request server :workspace/executeCommand
                             (list :command "gw403.setEnvironment" :arguments (vector name))
                             :success-fn #'ignore))))

(provide 'gw403)
;;; gw403.el ends here
